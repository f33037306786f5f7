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
    private record Affix(String text, int minRest, int firstSlot, int lastSlot) {}

    private final List<Affix> prefixes = new ArrayList<>();
    private final List<Affix> suffixes = new ArrayList<>();
    private final List<String> protectedWords;
    private final int maxPrefixes;
    private final Set<String> guardOnStem;
    private final Set<String> pronouns;
    private final int tehBeforePronounMin;
    private final String teh;
    private final String tehKeptAfter;
    private final int articleSlot;
    private final Set<String> wordsAfterPreposition;

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
        articleSlot = (Integer) t.get("article_slot");
        wordsAfterPreposition = new HashSet<>((List<String>) (List<?>) t.get("words_after_preposition"));
    }

    @SuppressWarnings("unchecked")
    private static Affix affix(Object row) {
        List<Object> r = (List<Object>) row;
        return r.size() > 2
            ? new Affix((String) r.get(0), (Integer) r.get(1), (Integer) r.get(2), (Integer) r.get(3))
            : new Affix((String) r.get(0), (Integer) r.get(1), 0, 0);
    }

    /** stemmers.light10 (after IRREGULAR): numbers, Latin and mixed tokens stay as they are. */
    public String stem(String word) {
        return stem(word, true);
    }

    /** {@code article=false}: the word's ال is not the article (spelled أل/إل/آل), the rows ending with it are not tried. */
    public String stem(String word, boolean article) {
        if (!isAlpha(word) || word.chars().allMatch(c -> c < 128)) {
            return word;
        }
        return stripSuffixes(stripPrefixes(word, article));
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

    /** stemmers._strip_prefixes: clitics in their order (CLITIC_ORDER slots), ب ل ك also after the article. */
    String stripPrefixes(String word, boolean article) {
        int nextSlot = 0;  // the earliest clitic slot still allowed
        for (int round = 0; round < maxPrefixes; round++) {
            for (String protectedWord : protectedWords) {
                if (word.startsWith(protectedWord)) {
                    return word;
                }
            }
            boolean stripped = false;
            for (Affix prefix : prefixes) {
                boolean outOfOrder = prefix.firstSlot < nextSlot
                    && !(nextSlot > articleSlot && guardOnStem.contains(prefix.text));
                if (outOfOrder || !word.startsWith(prefix.text) || (!article && prefix.lastSlot == articleSlot)) {
                    continue;
                }
                String rest = word.substring(prefix.text.length());
                if (guardHolds(prefix, rest)) {
                    word = rest;
                    nextSlot = prefix.lastSlot + 1;
                    stripped = true;
                    break;
                }
            }
            if (!stripped) {
                return word;
            }
        }
        return word;
    }

    /** stemmers._guard_holds: enough letters left (for ب ل ك: once suffixes are gone too). */
    private boolean guardHolds(Affix prefix, String rest) {
        boolean onStem = guardOnStem.contains(prefix.text);
        if (len(rest) < prefix.minRest && !(onStem && wordsAfterPreposition.contains(rest))) {
            return false;
        }
        if (onStem) {
            return wordsAfterPreposition.contains(rest) || len(stripSuffixes(rest)) >= prefix.minRest;
        }
        return true;
    }

    /** Python's str.isalpha(): non-empty, every code point a letter (Lu Ll Lt Lm Lo). */
    static boolean isAlpha(String word) {
        return !word.isEmpty() && word.codePoints().allMatch(Character::isLetter);
    }

    private static int len(String s) {
        return s.codePointCount(0, s.length());
    }
}
