package org.bahth.opensearch;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FiltersTest {
    private static List<String> run(String text, UnaryOperator<String> rewrite, boolean skipKeywords,
                                    Set<String> keywords) throws IOException {
        WhitespaceTokenizer tokenizer = new WhitespaceTokenizer();
        tokenizer.setReader(new StringReader(text));
        TokenStream stream = new SetKeywordMarkerFilter(tokenizer, new CharArraySet(keywords, false));
        stream = new Filters.Rewrite(stream, rewrite, skipKeywords);
        CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
        OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
        List<String> out = new ArrayList<>();
        stream.reset();
        while (stream.incrementToken()) {
            out.add(term + "@" + offset.startOffset() + "-" + offset.endOffset());
        }
        stream.end();
        stream.close();
        return out;
    }

    @Test
    void rewriteKeepsTheOriginalOffsets() throws IOException {
        // NFKC folds the lam-alef ligature (one char) into two letters; the offsets stay 0-1.
        assertEquals(List.of("لا@0-1", "abc@2-5"), run("ﻻ abc", Filters.unicode(Normalizer.Form.NFKC), false, Set.of()));
    }

    @Test
    void light10LeavesKeywordMarkedTokensAlone() throws IOException {
        Light10 light10 = new Light10(Tables.bundled());
        String stemmed = light10.stem("والكتاب");
        assertTrue(stemmed.length() < "والكتاب".length(), "light10 strips the clitics of والكتاب: " + stemmed);
        assertEquals(List.of("والكتاب@0-7"), run("والكتاب", light10::stem, true, Set.of("والكتاب")));
        assertEquals(List.of(stemmed + "@0-7"), run("والكتاب", light10::stem, true, Set.of()));
    }

    @Test
    void light10LeavesNumbersAndLatinAlone() {
        Light10 light10 = new Light10(Tables.bundled());
        for (String word : List.of("2020", "washington", "x²", "", "ب2")) {
            assertEquals(word, light10.stem(word));
        }
    }

    @Test
    void tablesRefuseIndexSettingsMadeForOtherTables() {
        Tables tables = Tables.bundled();
        tables.check(null, "f");
        tables.check(tables.sha256, "f");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tables.check("0000", "f"));
        assertTrue(e.getMessage().contains("rebuild"), e.getMessage());
    }

    @Test
    void bundledTablesHaveEverySection() {
        Tables tables = Tables.bundled();
        assertTrue(tables.root.get("analysis_version") instanceof Integer);
        assertTrue(tables.section("uthmani").containsKey("medial_hamza"));
        assertTrue(tables.section("light10").containsKey("prefixes"));
        assertEquals(64, tables.sha256.length());
    }
}
