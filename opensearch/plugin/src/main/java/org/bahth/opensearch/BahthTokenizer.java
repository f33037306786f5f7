package org.bahth.opensearch;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bahth's tokenizer (index/analysis/tokenize.py): each token is the first of
 * <ol start="0">
 *   <li>the first of two words Uthmani script writes as one ({@code JOINED_FIRST_WORDS}: يَـٰ of
 *       يَـٰٓأَيُّهَا): the Java translation of that alternative ({@code joined_first_word}, bounded
 *       and short), run by java.util.regex at the start of a word only;</li>
 *   <li>an Arabic word: {@code [inside_word]* [arabic_letter] [arabic_letter inside_word]*}
 *       (marks, tatweel and joiners stay inside the word: a vocalized word is one token); the
 *       leading marks only when no mark precedes them (the Python lookbehind);</li>
 *   <li>a number: {@code [digit]+ ([number_separator] [digit]+)*};</li>
 *   <li>a word of another script: {@code [other_letter] [other_letter other_mark]*}
 *       (equal to the Python {@code ([other_letter][other_mark]*)+});</li>
 * </ol>
 * that matches at a position, as {@code TOKEN_PATTERN.finditer} finds them. The classes come
 * from {@link Tables} (computed from the Python pattern by the exporter, which also checks that
 * the pattern still has this shape). A plain scan, not java.util.regex: the regex engine
 * recurses once per repeated group, and one long word overflowed the stack of the node.
 * Offsets are those of the original text (UTF-16 units, as Lucene counts), through
 * {@link #correctOffset} when char filters come first.
 */
public final class BahthTokenizer extends Tokenizer {
    /** The character classes, as bit sets over code points. */
    public static final class Classes {
        final BitSet insideWord;
        final BitSet arabicLetter;
        final BitSet digit;
        final BitSet numberSeparator;
        final BitSet otherLetter;
        final BitSet otherMark;
        final Pattern joinedFirstWord;

        public Classes(Tables tables) {
            Map<String, Object> t = tables.section("tokenizer");
            insideWord = bits(t.get("inside_word"));
            arabicLetter = bits(t.get("arabic_letter"));
            digit = bits(t.get("digit"));
            numberSeparator = bits(t.get("number_separator"));
            otherLetter = bits(t.get("other_letter"));
            otherMark = bits(t.get("other_mark"));
            joinedFirstWord = Pattern.compile((String) t.get("joined_first_word"));
        }

        @SuppressWarnings("unchecked")
        private static BitSet bits(Object ranges) {
            BitSet set = new BitSet(0x110000);
            for (Object range : (List<Object>) ranges) {
                List<Integer> pair = (List<Integer>) range;
                set.set(pair.get(0), pair.get(1) + 1);
            }
            return set;
        }
    }

    private final Classes classes;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private String text = "";
    private int position;
    private Matcher joined;

    public BahthTokenizer(Classes classes) {
        this.classes = classes;
    }

    @Override
    public boolean incrementToken() {
        clearAttributes();
        while (position < text.length()) {
            int start = position;
            int end = matchAt(start);
            if (end > start) {
                term.setEmpty().append(text, start, end);
                offset.setOffset(correctOffset(start), correctOffset(end));
                position = end;
                return true;
            }
            position += Character.charCount(text.codePointAt(position));
        }
        return false;
    }

    /** The end of the token starting at {@code i}, or {@code i} when none does. */
    int matchAt(int i) {
        int end = joinedFirstWord(i);
        if (end > i) {
            return end;
        }
        end = arabicWord(i);
        if (end > i) {
            return end;
        }
        end = number(i);
        return end > i ? end : otherWord(i);
    }

    private int joinedFirstWord(int i) {
        if (i > 0) {  // the same test as the alternative's lookbehind, without the regex call
            int before = text.codePointBefore(i);
            if (classes.arabicLetter.get(before) || classes.insideWord.get(before)) {
                return i;
            }
        }
        joined.region(i, text.length());
        return joined.lookingAt() ? joined.end() : i;
    }

    private int arabicWord(int i) {
        // (?<![inside_word]): leading marks only when they do not follow a mark (linear time).
        boolean afterMark = i > 0 && classes.insideWord.get(text.codePointBefore(i));
        int j = afterMark ? i : skip(i, classes.insideWord, null);
        if (j >= text.length() || !classes.arabicLetter.get(text.codePointAt(j))) {
            return i;
        }
        return skip(next(j), classes.arabicLetter, classes.insideWord);
    }

    private int number(int i) {
        if (i >= text.length() || !classes.digit.get(text.codePointAt(i))) {
            return i;
        }
        int j = skip(i, classes.digit, null);
        while (j < text.length() && classes.numberSeparator.get(text.codePointAt(j))) {
            int afterSeparator = next(j);
            if (afterSeparator >= text.length() || !classes.digit.get(text.codePointAt(afterSeparator))) {
                break;
            }
            j = skip(afterSeparator, classes.digit, null);
        }
        return j;
    }

    private int otherWord(int i) {
        if (i >= text.length() || !classes.otherLetter.get(text.codePointAt(i))) {
            return i;
        }
        return skip(next(i), classes.otherLetter, classes.otherMark);
    }

    /** The first position from {@code i} whose code point is in neither set. */
    private int skip(int i, BitSet a, BitSet b) {
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (!a.get(cp) && (b == null || !b.get(cp))) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    private int next(int i) {
        return i + Character.charCount(text.codePointAt(i));
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        StringBuilder all = new StringBuilder();
        char[] buffer = new char[8192];
        for (int n = input.read(buffer); n != -1; n = input.read(buffer)) {
            all.append(buffer, 0, n);
        }
        text = all.toString();
        position = 0;
        joined = classes.joinedFirstWord.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    }

    @Override
    public void end() throws IOException {
        super.end();
        int last = correctOffset(text.length());
        offset.setOffset(last, last);
    }

    @Override
    public void close() throws IOException {
        super.close();
        text = "";
    }
}
