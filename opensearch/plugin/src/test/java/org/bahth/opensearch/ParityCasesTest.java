package org.bahth.opensearch;

import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java mirrors agree with bahth's Python code on every case of bahth-cases.json, which
 * opensearch/parity_cases.py computes with the Python functions at build time (so a rule
 * change in Python is followed here with no Java edit, or fails here if it needs new Java).
 */
class ParityCasesTest {
    private static Map<String, Object> cases;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (InputStream in = ParityCasesTest.class.getResourceAsStream("/bahth-cases.json")) {
            if (in == null) {
                throw new IllegalStateException("bahth-cases.json is missing: build with `make opensearch-plugin`");
            }
            cases = Tables.parse(in.readAllBytes()).root;
        }
    }

    @Test
    void light10MatchesPython() {
        Light10 light10 = new Light10(Tables.bundled());
        assertAllEqual("light10", light10::stem, 1000);
    }

    @Test
    void light10WithoutTheArticleMatchesPython() {
        Light10 light10 = new Light10(Tables.bundled());
        assertAllEqual("light10_no_article", word -> light10.stem(word, false), 100);
    }

    @Test
    void uthmaniMatchesPython() {
        Uthmani uthmani = new Uthmani(Tables.bundled());
        assertAllEqual("uthmani", uthmani::apply, 100);
    }

    @Test
    @SuppressWarnings("unchecked")
    void javaClassesMatchExactlyTheCodePointsPythonMatches() {
        // The exporter writes each class as a tree of intersections; java.util.regex must read
        // it as exactly Python's set, for every code point (surrogates aside).
        for (Object row : (List<Object>) cases.get("classes")) {
            List<Object> pair = (List<Object>) row;
            java.util.regex.Pattern pattern = java.util.regex.Pattern.compile((String) pair.get(0));
            java.util.BitSet expected = new java.util.BitSet(0x110000);
            for (Object range : (List<Object>) pair.get(1)) {
                List<Integer> r = (List<Integer>) range;
                expected.set(r.get(0), r.get(1) + 1);
            }
            java.util.regex.Matcher matcher = pattern.matcher("");
            for (int cp = 0; cp < 0x110000; cp++) {
                if (cp >= 0xD800 && cp < 0xE000) {
                    continue;
                }
                boolean got = matcher.reset(new String(Character.toChars(cp))).matches();
                if (got != expected.get(cp)) {
                    throw new AssertionError(String.format("U+%04X: Java %s, Python %s, in %.80s", cp, got,
                        expected.get(cp), pair.get(0)));
                }
            }
        }
        assertTrue(((List<Object>) cases.get("classes")).size() >= 5);
    }

    @Test
    @SuppressWarnings("unchecked")
    void tokenizerMatchesPython() throws IOException {
        BahthTokenizer.Classes classes = new BahthTokenizer.Classes(Tables.bundled());
        List<Object> rows = (List<Object>) cases.get("tokenizer");
        List<String> wrong = new ArrayList<>();
        for (Object row : rows) {
            List<Object> pair = (List<Object>) row;
            String text = (String) pair.get(0);
            List<List<Integer>> expected = (List<List<Integer>>) (List<?>) pair.get(1);
            List<List<Integer>> got = spans(classes, text);
            if (!got.equals(expected)) {
                wrong.add(text.substring(0, Math.min(60, text.length())) + ": " + got + " (Python: " + expected + ")");
            }
        }
        assertTrue(rows.size() >= 20, "only " + rows.size() + " tokenizer cases");
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + rows.size() + " differ, e.g. "
            + wrong.subList(0, Math.min(5, wrong.size())));
    }

    private static List<List<Integer>> spans(BahthTokenizer.Classes classes, String text) throws IOException {
        BahthTokenizer tokenizer = new BahthTokenizer(classes);
        tokenizer.setReader(new StringReader(text));
        CharTermAttribute term = tokenizer.addAttribute(CharTermAttribute.class);
        OffsetAttribute offset = tokenizer.addAttribute(OffsetAttribute.class);
        List<List<Integer>> out = new ArrayList<>();
        tokenizer.reset();
        while (tokenizer.incrementToken()) {
            assertTrue(term.toString().equals(text.substring(offset.startOffset(), offset.endOffset())));
            out.add(List.of(offset.startOffset(), offset.endOffset()));
        }
        tokenizer.end();
        assertTrue(offset.endOffset() == text.length(), "end() sets the final offset");
        tokenizer.close();
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void assertAllEqual(String name, UnaryOperator<String> javaSide, int atLeast) {
        List<Object> rows = (List<Object>) cases.get(name);
        List<String> wrong = new ArrayList<>();
        for (Object row : rows) {
            List<String> pair = (List<String>) row;
            String got = javaSide.apply(pair.get(0));
            if (!got.equals(pair.get(1))) {
                wrong.add(pair.get(0) + " -> " + got + " (Python: " + pair.get(1) + ")");
            }
        }
        assertTrue(rows.size() >= atLeast, name + ": only " + rows.size() + " cases");
        assertTrue(wrong.isEmpty(), name + ": " + wrong.size() + " of " + rows.size() + " differ, e.g. "
            + wrong.subList(0, Math.min(10, wrong.size())));
    }
}
