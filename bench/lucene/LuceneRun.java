// The Lucene reference for bench/eval_protocol.py: Lucene's ArabicAnalyzer (Arabic
// normalization + stopwords + light10 stemming), BM25(k1=1.2, b=0.75), each question sent as
// an OR of its analyzed terms (repeated terms kept, as Lucene's QueryParser sends them), top N,
// written as a TREC run. Built and run by bench/lucene_reference.py with the jars of Debian's
// liblucene8-java (/usr/share/java).
//
// usage: java -cp CLASSPATH LuceneRun COLLECTION.tsv TOPICS.tsv RUN.out [DEPTH]
//   COLLECTION.tsv: docid<TAB>text per line; TOPICS.tsv: qid<TAB>question per line.

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

public final class LuceneRun {
    private static final String BODY = "body";

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: LuceneRun COLLECTION.tsv TOPICS.tsv RUN.out [DEPTH]");
            System.exit(2);
        }
        int depth = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Analyzer analyzer = new ArabicAnalyzer();
        BM25Similarity similarity = new BM25Similarity(1.2f, 0.75f);
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        IndexWriterConfig config = new IndexWriterConfig(analyzer).setSimilarity(similarity);
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (String[] row : rows(args[0])) {
                Document doc = new Document();
                doc.add(new StringField("id", row[0], Field.Store.YES));
                doc.add(new TextField(BODY, row[1], Field.Store.NO));
                writer.addDocument(doc);
            }
        }
        BooleanQuery.setMaxClauseCount(4096);
        try (DirectoryReader reader = DirectoryReader.open(directory);
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[2]), StandardCharsets.UTF_8))) {
            IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setSimilarity(similarity);
            for (String[] topic : rows(args[1])) {
                BooleanQuery.Builder query = new BooleanQuery.Builder();
                for (String term : terms(analyzer, topic[1])) {
                    query.add(new TermQuery(new Term(BODY, term)), BooleanClause.Occur.SHOULD);
                }
                int rank = 1;
                for (ScoreDoc hit : searcher.search(query.build(), depth).scoreDocs) {
                    String docid = searcher.doc(hit.doc).get("id");
                    out.printf("%s Q0 %s %d %s lucene%n", topic[0], docid, rank++, Float.toString(hit.score));
                }
            }
        }
    }

    private static List<String[]> rows(String path) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(Paths.get(path), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    rows.add(new String[] {line.substring(0, tab).trim(), line.substring(tab + 1)});
                }
            }
        }
        return rows;
    }

    private static List<String> terms(Analyzer analyzer, String text) throws IOException {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream(BODY, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        }
        return terms;
    }
}
