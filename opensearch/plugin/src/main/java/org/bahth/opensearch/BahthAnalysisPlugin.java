package org.bahth.opensearch;

import org.apache.lucene.analysis.TokenStream;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.analysis.AbstractTokenFilterFactory;
import org.opensearch.index.analysis.TokenFilterFactory;
import org.opensearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.opensearch.plugins.AnalysisPlugin;
import org.opensearch.plugins.Plugin;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The token filters of bahth's Arabic chain that OpenSearch's built-in filters cannot express:
 * <ul>
 *   <li>{@code bahth_unicode_normalizer} ({@code form}: NFKC or NFC),</li>
 *   <li>{@code bahth_uthmani}: the Uthmani rules decided by code ({@link Uthmani}),</li>
 *   <li>{@code bahth_light10}: the light10 stemmer ({@link Light10}).</li>
 * </ul>
 * Each takes an optional {@code tables} setting (the SHA-256 the exporter writes): an index made
 * for other tables than the bundled ones is refused with a clear message.
 */
public class BahthAnalysisPlugin extends Plugin implements AnalysisPlugin {

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
                Uthmani uthmani = new Uthmani(Tables.bundled());
                return new Factory(indexSettings, name, settings, uthmani::apply, false);
            },
            "bahth_light10", (indexSettings, env, name, settings) -> {
                Light10 light10 = new Light10(Tables.bundled());
                return new Factory(indexSettings, name, settings, light10::stem, true);
            });
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
