package org.bahth.opensearch;

import org.apache.lucene.analysis.TokenStream;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.IndexSettings;
import org.apache.lucene.analysis.Tokenizer;
import org.opensearch.index.analysis.AbstractTokenFilterFactory;
import org.opensearch.index.analysis.AbstractTokenizerFactory;
import org.opensearch.index.analysis.TokenFilterFactory;
import org.opensearch.index.analysis.TokenizerFactory;
import org.opensearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.opensearch.plugins.AnalysisPlugin;
import org.opensearch.plugins.Plugin;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The parts of bahth's Arabic chain that OpenSearch's built-in analysis cannot express:
 * <ul>
 *   <li>the tokenizer {@code bahth_tokenizer} ({@link BahthTokenizer}),</li>
 *   <li>{@code bahth_unicode_normalizer} ({@code form}: NFKC or NFC),</li>
 *   <li>{@code bahth_uthmani}: the Uthmani rules decided by code ({@link Uthmani}),</li>
 *   <li>{@code bahth_light10}: the light10 stemmer ({@link Light10}, through {@link Terms.Stem});</li>
 *   <li>{@code bahth_surface}, {@code bahth_words}, {@code bahth_common}: what TermMaker adds ({@link Terms}).</li>
 * </ul>
 * Each takes an optional {@code tables} setting (the SHA-256 the exporter writes): an index made
 * for other tables than the bundled ones is refused with a clear message.
 */
public class BahthAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("bahth_tokenizer", (indexSettings, env, name, settings) -> {
            Tables.bundled().check(settings.get("tables"), name);
            BahthTokenizer.Classes classes = Bundled.TOKENIZER;
            return new AbstractTokenizerFactory(indexSettings, settings, name) {
                @Override
                public Tokenizer create() {
                    return new BahthTokenizer(classes);
                }
            };
        });
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "bahth_unicode_normalizer", (indexSettings, env, name, settings) -> {
                String form = settings.get("form", "NFKC").toUpperCase(Locale.ROOT);
                Normalizer.Form parsed;
                try {
                    parsed = Normalizer.Form.valueOf(form);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("[" + name + "] form must be NFC, NFD, NFKC or NFKD, not " + form);
                }
                return new Factory(indexSettings, name, settings, Filters.unicode(parsed), false);
            },
            "bahth_uthmani", (indexSettings, env, name, settings) -> {
                return new Factory(indexSettings, name, settings, Bundled.UTHMANI::apply, false);
            },
            "bahth_light10", (indexSettings, env, name, settings) ->
                new StreamFactory(indexSettings, name, settings, input -> new Terms.Stem(input, Bundled.LIGHT10)),
            "bahth_surface", (indexSettings, env, name, settings) ->
                new StreamFactory(indexSettings, name, settings, input -> new Terms.Surface(input, Bundled.TERMS)),
            "bahth_words", (indexSettings, env, name, settings) ->
                new StreamFactory(indexSettings, name, settings, input -> new Terms.Words(input, Bundled.TERMS)),
            "bahth_common", (indexSettings, env, name, settings) ->
                new StreamFactory(indexSettings, name, settings, input -> new Terms.Common(input, Bundled.TERMS)));
    }

    /** The rules built once from the bundled tables (all three are immutable and thread-safe). */
    private static final class Bundled {
        static final BahthTokenizer.Classes TOKENIZER = new BahthTokenizer.Classes(Tables.bundled());
        static final Uthmani UTHMANI = new Uthmani(Tables.bundled());
        static final Light10 LIGHT10 = new Light10(Tables.bundled());
        static final Terms TERMS = new Terms(Tables.bundled());
    }

    /** A factory for a filter of its own class, checking the tables' checksum. */
    static final class StreamFactory extends AbstractTokenFilterFactory {
        private final UnaryOperator<TokenStream> make;

        StreamFactory(IndexSettings indexSettings, String name, Settings settings, UnaryOperator<TokenStream> make) {
            super(indexSettings, name, settings);
            Tables.bundled().check(settings.get("tables"), name);
            this.make = make;
        }

        @Override
        public TokenStream create(TokenStream input) {
            return make.apply(input);
        }
    }

    /** A factory for one {@link Filters.Rewrite}, checking the tables' checksum. */
    static final class Factory extends AbstractTokenFilterFactory {
        private final UnaryOperator<String> rewrite;
        private final boolean skipKeywords;

        Factory(IndexSettings indexSettings, String name, Settings settings, UnaryOperator<String> rewrite,
                boolean skipKeywords) {
            super(indexSettings, name, settings);
            Tables.bundled().check(settings.get("tables"), name);
            this.rewrite = rewrite;
            this.skipKeywords = skipKeywords;
        }

        @Override
        public TokenStream create(TokenStream input) {
            return new Filters.Rewrite(input, rewrite, skipKeywords);
        }
    }
}
