package org.bahth.opensearch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * bahth's light10 stemmer (index/analysis/stemmers.py) without its IRREGULAR words, which the
 * index settings give to OpenSearch's built-in stemmer_override filter. A line-by-line mirror
 * of {@code _strip_prefixes} / {@code _strip_suffixes} / {@code light10}; every table (prefixes,
 * suffixes, protected words, guards) comes from {@link Tables}. Lengths count code points, as
 * Python's len() does.
 */
public final class Light10 {
    private record Affix(String text, int minRest) {}

    private final List<Affix> prefixes = new ArrayList<>();
    private final List<Affix> suffixes = new ArrayList<>();
    private final List<String> protectedWords;
    private final int maxPrefixes;
    private final Set<String> guardOnStem;
    private final Set<String> pronouns;
    private final int tehBeforePronounMin;
    private final String teh;
    private final String tehKeptAfter;

    @SuppressWarnings("unchecked")
    public Light10(Tables tables) {
        Map<String, Object> t = tables.section("light10");
        for (Object row : (List<Object>) t.get("prefixes")) {
            prefixes.add(affix(row));
        }
        for (Object row : (List<Object>) t.get("suffixes")) {
            suffixes.add(affix(row));
        }
        protectedWords = (List<String>) (List<?>) t.get("protected");
        maxPrefixes = (Integer) t.get("max_prefixes");
        guardOnStem = new HashSet<>((List<String>) (List<?>) t.get("guard_on_stem"));
        pronouns = new HashSet<>((List<String>) (List<?>) t.get("pronouns"));
        tehBeforePronounMin = (Integer) t.get("teh_before_pronoun_min");
        teh = (String) t.get("teh");
        tehKeptAfter = (String) t.get("teh_kept_after");
    }

    @SuppressWarnings("unchecked")
    private static Affix affix(Object row) {
        List<Object> pair = (List<Object>) row;
        return new Affix((String) pair.get(0), (Integer) pair.get(1));
    }

    /** stemmers.light10 (after IRREGULAR): numbers, Latin and mixed tokens stay as they are. */
    public String stem(String word) {
        if (!isAlpha(word) || word.chars().allMatch(c -> c < 128)) {
            return word;
        }
        return stripSuffixes(stripPrefixes(word));
    }

    String stripSuffixes(String word) {
        boolean pronounStripped = false;
        int nextRow = 0;
        boolean stripped = true;
        while (!word.isEmpty() && stripped) {
            stripped = false;
            for (int row = nextRow; row < suffixes.size(); row++) {
                Affix suffix = suffixes.get(row);
                if (word.endsWith(suffix.text) && len(word) - len(suffix.text) >= suffix.minRest) {
                    word = word.substring(0, word.length() - suffix.text.length());
                    pronounStripped = pronounStripped || pronouns.contains(suffix.text);
                    nextRow = row + 1;
                    stripped = true;
                    break;
                }
            }
        }
        if (pronounStripped && word.endsWith(teh) && !word.endsWith(tehKeptAfter) && len(word) >= tehBeforePronounMin) {
            word = word.substring(0, word.length() - teh.length());
        }
        return word;
    }

    String stripPrefixes(String word) {
        for (int round = 0; round < maxPrefixes; round++) {
            for (String protectedWord : protectedWords) {
                if (word.startsWith(protectedWord)) {
                    return word;
                }
            }
            boolean stripped = false;
            for (Affix prefix : prefixes) {
                if (word.startsWith(prefix.text)) {
                    String rest = word.substring(prefix.text.length());
                    // The guard: enough letters left (for ب ل ك: once suffixes are gone too).
                    if (len(rest) >= prefix.minRest
                        && (!guardOnStem.contains(prefix.text) || len(stripSuffixes(rest)) >= prefix.minRest)) {
                        word = rest;
                        stripped = true;
                        break;
                    }
                }
            }
            if (!stripped) {
                return word;
            }
        }
        return word;
    }

    /** Python's str.isalpha(): non-empty, every code point a letter (Lu Ll Lt Lm Lo). */
    static boolean isAlpha(String word) {
        return !word.isEmpty() && word.codePoints().allMatch(Character::isLetter);
    }

    private static int len(String s) {
        return s.codePointCount(0, s.length());
    }
}
