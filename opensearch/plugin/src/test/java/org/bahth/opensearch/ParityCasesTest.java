package org.bahth.opensearch;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
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
    void uthmaniMatchesPython() {
        Uthmani uthmani = new Uthmani(Tables.bundled());
        assertAllEqual("uthmani", uthmani::apply, 100);
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
