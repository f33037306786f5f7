// The Lucene reference row of bench/bench_scale.py: Lucene's ArabicAnalyzer, BM25(k1=1.2, b=0.75),
// an index on disk built from a TSV corpus (id, source, title, body per line), then the bench's
// queries parsed by Lucene's classic MultiFieldQueryParser (title^2 and body, OR; "phrases";
// source:X as a keyword), top 10 with the stored title and a UnifiedHighlighter snippet of body.
// Built and run by bench/bench_scale.py with the jars of Debian's liblucene8-java.
//
// usage: java -cp CLASSPATH LuceneScale build CORPUS.tsv INDEX_DIR
//        java -cp CLASSPATH LuceneScale search INDEX_DIR QUERIES.tsv ROUNDS
// Prints one JSON object: build -> {"build_s"}; search -> {"open_ms", "first_ms", "times_ms": [[...] per round]}.

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.FSDirectory;

public final class LuceneScale {
    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("build")) {
            build(args[1], args[2]);
        } else if (args.length >= 4 && args[0].equals("search")) {
            search(args[1], args[2], Integer.parseInt(args[3]));
        } else {
            System.err.println("usage: LuceneScale build CORPUS.tsv INDEX_DIR | search INDEX_DIR QUERIES.tsv ROUNDS");
            System.exit(2);
        }
    }

    static Analyzer analyzer() {
        Map<String, Analyzer> perField = new HashMap<>();
        perField.put("source", new KeywordAnalyzer());
        return new PerFieldAnalyzerWrapper(new ArabicAnalyzer(), perField);
    }

    static void build(String corpus, String indexDir) throws IOException {
        long started = System.nanoTime();
        BM25Similarity similarity = new BM25Similarity(1.2f, 0.75f);
        IndexWriterConfig config = new IndexWriterConfig(analyzer()).setSimilarity(similarity).setRAMBufferSizeMB(256);
        FieldType body = new FieldType(TextField.TYPE_STORED);
        body.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);  // for the highlighter
        body.freeze();
        try (FSDirectory directory = FSDirectory.open(Paths.get(indexDir));
             IndexWriter writer = new IndexWriter(directory, config);
             BufferedReader in = Files.newBufferedReader(Paths.get(corpus), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] row = line.split("\t", -1);
                if (row.length < 4) continue;
                Document doc = new Document();
                doc.add(new StringField("id", row[0], Field.Store.YES));
                doc.add(new StringField("source", row[1], Field.Store.YES));
                doc.add(new TextField("title", row[2], Field.Store.YES));
                doc.add(new Field("body", row[3], body));
                writer.addDocument(doc);
            }
            writer.commit();
        }
        System.out.printf("{\"build_s\": %.2f}%n", (System.nanoTime() - started) / 1e9);
    }

    static List<String> queries(String path) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(path), StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            if (tab >= 0) out.add(line.substring(tab + 1));
        }
        return out;
    }

    static int run(IndexSearcher searcher, UnifiedHighlighter highlighter, MultiFieldQueryParser parser, String text)
            throws IOException {
        Query query;
        try {
            query = parser.parse(text);
        } catch (ParseException e) {
            try {
                query = parser.parse(QueryParser.escape(text));
            } catch (ParseException again) {
                return 0;
            }
        }
        TopDocs top = searcher.search(query, 10);
        String[] snippets = highlighter.highlight("body", query, top);
        int n = 0;
        for (int i = 0; i < top.scoreDocs.length; i++) {
            String title = searcher.doc(top.scoreDocs[i].doc).get("title");
            n += (title == null ? 0 : 1) + (snippets[i] == null ? 0 : 1);
        }
        return n;
    }

    static void search(String indexDir, String queryFile, int rounds) throws Exception {
        List<String> texts = queries(queryFile);
        long opening = System.nanoTime();
        FSDirectory directory = FSDirectory.open(Paths.get(indexDir));
        DirectoryReader reader = DirectoryReader.open(directory);
        IndexSearcher searcher = new IndexSearcher(reader);
        searcher.setSimilarity(new BM25Similarity(1.2f, 0.75f));
        Map<String, Float> boosts = new HashMap<>();
        boosts.put("title", 2.0f);
        boosts.put("body", 1.0f);
        MultiFieldQueryParser parser = new MultiFieldQueryParser(new String[] {"title", "body"}, analyzer(), boosts);
        UnifiedHighlighter highlighter = new UnifiedHighlighter(searcher, analyzer());
        long opened = System.nanoTime();
        run(searcher, highlighter, parser, texts.get(0));
        long first = System.nanoTime();
        for (int i = 0; i < Math.min(20, texts.size()); i++) run(searcher, highlighter, parser, texts.get(i));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StringBuilder wall = new StringBuilder();
        StringBuilder cpu = new StringBuilder();
        for (int r = 0; r < rounds; r++) {
            wall.append(r > 0 ? ", [" : "[");
            cpu.append(r > 0 ? ", [" : "[");
            for (int i = 0; i < texts.size(); i++) {
                long t = System.nanoTime();
                long c = threads.getCurrentThreadCpuTime();
                run(searcher, highlighter, parser, texts.get(i));
                wall.append(i > 0 ? ", " : "").append(String.format("%.3f", (System.nanoTime() - t) / 1e6));
                cpu.append(i > 0 ? ", " : "").append(String.format("%.3f", (threads.getCurrentThreadCpuTime() - c) / 1e6));
            }
            wall.append("]");
            cpu.append("]");
        }
        StringBuilder json = new StringBuilder();
        json.append(String.format("{\"open_ms\": %.2f, \"first_ms\": %.2f, \"times_ms\": [%s], \"cpu_ms\": [%s]}",
                (opened - opening) / 1e6, (first - opened) / 1e6, wall, cpu));
        System.out.println(json);
        reader.close();
        directory.close();
    }
}
