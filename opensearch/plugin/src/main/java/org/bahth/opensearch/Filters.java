package org.bahth.opensearch;

import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;

import java.io.IOException;
import java.text.Normalizer;
import java.util.function.UnaryOperator;

/** The token filters: each rewrites a token's text and leaves its offsets (into the original text) alone. */
public final class Filters {
    private Filters() {}

    /** Replaces each token's text by {@code rewrite(text)}; keyword-marked tokens are skipped when asked. */
    public static final class Rewrite extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final KeywordAttribute keyword = addAttribute(KeywordAttribute.class);
        private final UnaryOperator<String> rewrite;
        private final boolean skipKeywords;

        public Rewrite(TokenStream input, UnaryOperator<String> rewrite, boolean skipKeywords) {
            super(input);
            this.rewrite = rewrite;
            this.skipKeywords = skipKeywords;
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (!input.incrementToken()) {
                return false;
            }
            if (skipKeywords && keyword.isKeyword()) {
                return true;
            }
            String text = term.toString();
            String out = rewrite.apply(text);
            if (!out.equals(text)) {
                term.setEmpty().append(out);
            }
            return true;
        }
    }

    /** Unicode normalization (NFKC before the rules, NFC for the vocalized terms). */
    public static UnaryOperator<String> unicode(Normalizer.Form form) {
        return text -> Normalizer.isNormalized(text, form) ? text : Normalizer.normalize(text, form);
    }
}
