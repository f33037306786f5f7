package org.bahth.opensearch;

import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.apache.lucene.util.AttributeSource;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What index/analysis/terms.py's {@code TermMaker} adds around normalize and light10, from the
 * {@code terms} tables:
 * <ul>
 *   <li>{@link Surface}: a surface spelled أل/إل/آل at its start ({@code _HAMZA_ALEF_LAM}) is stemmed
 *       without the article: the token's type says so ({@link #NO_ARTICLE}) until {@link Stem};</li>
 *   <li>{@link Words}: {@code normalize(surface).split()}: a surface that stands for several words
 *       (ﷺ, ياأيها) yields them at consecutive positions (the later tokens move up), each with the
 *       surface's offsets; a surface that normalizes to nothing leaves its position empty;</li>
 *   <li>{@link Common}: a stopword becomes {@code common_term(word)} (what the index holds);</li>
 *   <li>{@link Stem}: light10, with or without the article as {@link Surface} decided.</li>
 * </ul>
 */
public final class Terms {
    /** The token type of a surface whose ال is not the article. */
    public static final String NO_ARTICLE = "<bahth_no_article>";

    final Pattern hamzaAlefLam;
    final Set<String> commonWords;
    final String commonMark;
    final BitSet whitespace;

    @SuppressWarnings("unchecked")
    public Terms(Tables tables) {
        Map<String, Object> t = tables.section("terms");
        hamzaAlefLam = Pattern.compile((String) t.get("hamza_alef_lam"));
        commonWords = new HashSet<>((List<String>) (List<?>) t.get("common_words"));
        commonMark = (String) t.get("common_mark");
        whitespace = new BitSet(0x110000);
        for (Object range : (List<Object>) t.get("whitespace")) {
            List<Integer> pair = (List<Integer>) range;
            whitespace.set(pair.get(0), pair.get(1) + 1);
        }
    }

    /** Python's {@code str.split()}: the runs of non-whitespace. */
    List<String> split(String text) {
        List<String> words = new ArrayList<>(1);
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (whitespace.get(cp)) {
                if (start >= 0) {
                    words.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            words.add(text.substring(start));
        }
        return words;
    }

    public static final class Surface extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final TypeAttribute type = addAttribute(TypeAttribute.class);
        private final Terms terms;

        public Surface(TokenStream input, Terms terms) {
            super(input);
            this.terms = terms;
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (!input.incrementToken()) {
                return false;
            }
            if (terms.hamzaAlefLam.matcher(term).lookingAt()) {
                type.setType(NO_ARTICLE);
            }
            return true;
        }
    }

    public static final class Words extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final TypeAttribute type = addAttribute(TypeAttribute.class);
        private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
        private final Terms terms;
        private final ArrayDeque<String> pending = new ArrayDeque<>();
        private AttributeSource.State state;

        public Words(TokenStream input, Terms terms) {
            super(input);
            this.terms = terms;
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (!pending.isEmpty()) {
                restoreState(state);
                term.setEmpty().append(pending.poll());
                increment.setPositionIncrement(1);
                return true;
            }
            int skipped = 0;
            while (input.incrementToken()) {
                List<String> words = terms.split(term.toString());
                if (words.isEmpty()) {
                    skipped += increment.getPositionIncrement();
                    continue;
                }
                increment.setPositionIncrement(increment.getPositionIncrement() + skipped);
                if (words.size() == 1) {
                    if (!words.get(0).contentEquals(term)) {
                        term.setEmpty().append(words.get(0));
                    }
                    return true;
                }
                type.setType(TypeAttribute.DEFAULT_TYPE);  // several words: each stemmed with the article
                term.setEmpty().append(words.get(0));
                pending.addAll(words.subList(1, words.size()));
                state = captureState();
                return true;
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            pending.clear();
            state = null;
        }
    }

    public static final class Common extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final Terms terms;

        public Common(TokenStream input, Terms terms) {
            super(input);
            this.terms = terms;
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (!input.incrementToken()) {
                return false;
            }
            if (terms.commonWords.contains(term.toString())) {
                String word = term.toString();
                term.setEmpty().append(terms.commonMark).append(word);
            }
            return true;
        }
    }

    public static final class Stem extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final KeywordAttribute keyword = addAttribute(KeywordAttribute.class);
        private final TypeAttribute type = addAttribute(TypeAttribute.class);
        private final Light10 light10;

        public Stem(TokenStream input, Light10 light10) {
            super(input);
            this.light10 = light10;
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (!input.incrementToken()) {
                return false;
            }
            if (keyword.isKeyword()) {  // stemmer_override (IRREGULAR) decided
                return true;
            }
            String text = term.toString();
            String out = light10.stem(text, !NO_ARTICLE.equals(type.type()));
            if (!out.equals(text)) {
                term.setEmpty().append(out);
            }
            return true;
        }
    }
}
