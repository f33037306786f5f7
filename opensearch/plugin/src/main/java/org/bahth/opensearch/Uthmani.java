package org.bahth.opensearch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two Uthmani rules of bahth's normalize.py that decide by code rather than by a
 * replacement template: {@code _seat_hamza} and {@code _dagger_alef}, in the order
 * {@code apply_context_rules} runs them (after the template rows, which are built-in
 * pattern_replace filters). A line-by-line mirror of the Python; the tables come from
 * {@link Tables}. Checked against the Python chain by bench/opensearch_analysis_parity.py.
 */
public final class Uthmani {
    private final Pattern medialHamza;
    private final String hamza;
    private final String hamzaAbove;
    private final String alef;
    private final String alefs;
    private final String kasra;
    private final String kasraAfter;
    private final List<String[]> vowelSeats = new ArrayList<>();
    private final String vowelMarks;
    private final String defaultSeat;
    private final String daggerAlef;
    private final Pattern wordWithDagger;
    private final Pattern daggerAfterLetter;
    private final String daggerReplacement;
    private final Map<Integer, String> silentKeyDrop = new LinkedHashMap<>();
    private final List<String> silentDaggerWords;

    @SuppressWarnings("unchecked")
    public Uthmani(Tables tables) {
        Map<String, Object> t = tables.section("uthmani");
        medialHamza = Pattern.compile((String) t.get("medial_hamza"));
        hamza = (String) t.get("hamza");
        hamzaAbove = (String) t.get("hamza_above");
        alef = (String) t.get("alef");
        alefs = (String) t.get("alefs");
        kasra = (String) t.get("kasra");
        kasraAfter = (String) t.get("kasra_after");
        for (Object row : (List<Object>) t.get("vowel_seats")) {
            List<Object> pair = (List<Object>) row;
            vowelSeats.add(new String[] {(String) pair.get(0), (String) pair.get(1)});
        }
        vowelMarks = (String) t.get("vowel_marks");
        defaultSeat = (String) t.get("default_seat");
        daggerAlef = (String) t.get("dagger_alef");
        wordWithDagger = Pattern.compile((String) t.get("word_with_dagger"));
        daggerAfterLetter = Pattern.compile((String) t.get("dagger_after_letter"));
        daggerReplacement = (String) t.get("dagger_replacement");
        for (Map.Entry<String, Object> e : ((Map<String, Object>) t.get("silent_key_drop")).entrySet()) {
            silentKeyDrop.put(e.getKey().codePointAt(0), (String) e.getValue());
        }
        silentDaggerWords = (List<String>) (List<?>) t.get("silent_dagger_words");
    }

    /** The code-decided part of apply_context_rules. */
    public String apply(String text) {
        if (text.contains(hamza) || text.contains(hamzaAbove)) {
            text = replace(medialHamza, text, this::seatHamza);
        }
        if (text.contains(daggerAlef)) {
            text = replace(wordWithDagger, text, this::daggerAlef);
        }
        return text;
    }

    /** normalize._seat_hamza: the seat imla'i spelling gives a vocalized medial hamza. */
    String seatHamza(Matcher m) {
        String prev = m.group("prev") == null ? "" : m.group("prev");
        String marks = m.group("marks");
        if (m.group("hamza").equals(hamza) && !sharesAny(marks, vowelMarks)) {
            return m.group(); // unvocalized text: no vowel to decide by, leave it
        }
        if (prev.isEmpty() || (alefs.indexOf(prev.codePointAt(0)) >= 0 && m.start() == 0)) {
            return prev + alef + marks;
        }
        String prevRest = prev.substring(Character.charCount(prev.codePointAt(0)));
        // The hamza's own vowel may sit before it on the tatweel (مَسْـُٔولًا): it counts too.
        String vowels = marks + m.group("hamza") + prevRest + (kasraAfter.indexOf(prev.codePointAt(0)) >= 0 ? kasra : "");
        String seat = defaultSeat;
        for (String[] row : vowelSeats) {
            if (sharesAny(row[0], vowels)) {
                seat = row[1];
                break;
            }
        }
        return prev + seat + marks;
    }

    /** normalize._dagger_alef: silent in SILENT_DAGGER_WORDS, else an alef. */
    String daggerAlef(Matcher m) {
        String word = m.group();
        StringBuilder key = new StringBuilder(word.length());
        word.codePoints().forEach(cp -> {
            if (!silentKeyDrop.containsKey(cp)) {
                key.appendCodePoint(cp);
            } else if (silentKeyDrop.get(cp) != null) {
                key.append(silentKeyDrop.get(cp));
            }
        });
        for (String silent : silentDaggerWords) {
            if (key.indexOf(silent) >= 0) {
                return word; // the dagger is deleted with the other marks
            }
        }
        return daggerAfterLetter.matcher(word).replaceAll(daggerReplacement);
    }

    private static boolean sharesAny(String a, String b) {
        return a.codePoints().anyMatch(cp -> b.indexOf(cp) >= 0);
    }

    /** Python's re.sub with a function: the function's result is literal text. */
    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> f) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        do {
            m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m)));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }
}
