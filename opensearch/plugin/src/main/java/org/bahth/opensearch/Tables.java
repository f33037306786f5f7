package org.bahth.opensearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule tables, read from {@code bahth-tables.json}: generated from bahth's Python tables by
 * {@code python -m bahth.index.analysis.export} at build time, never written by hand.
 */
public final class Tables {
    public static final String RESOURCE = "/bahth-tables.json";

    private static volatile Tables bundled;

    public final Map<String, Object> root;
    /** SHA-256 of the resource's bytes: the index settings name the tables they were made for. */
    public final String sha256;

    private Tables(Map<String, Object> root, String sha256) {
        this.root = root;
        this.sha256 = sha256;
    }

    /** The tables bundled in the plugin jar. */
    public static Tables bundled() {
        Tables tables = bundled;
        if (tables == null) {
            try (InputStream in = Tables.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing: build the plugin with `make opensearch-plugin`");
                }
                tables = bundled = parse(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tables;
    }

    @SuppressWarnings("unchecked")
    public static Tables parse(byte[] json) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            parser.nextToken();
            return new Tables((Map<String, Object>) read(parser), sha256(json));
        }
    }

    /** Refuses index settings made from other tables than the bundled ones (a stale plugin). */
    public void check(String expectedSha256, String filterName) {
        if (expectedSha256 != null && !expectedSha256.equals(sha256)) {
            throw new IllegalArgumentException("[" + filterName + "] the index settings were generated from other "
                + "analysis tables (" + expectedSha256 + ") than this bahth-analysis plugin was built with ("
                + sha256 + "): rebuild and reinstall the plugin (make opensearch-plugin, then restart the cluster)");
        }
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String name) {
        return (Map<String, Object>) root.get(name);
    }

    private static Object read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.getCurrentName();
                    parser.nextToken();
                    map.put(key, read(parser));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(parser));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getIntValue();
            case VALUE_TRUE:
            case VALUE_FALSE:
                return parser.getBooleanValue();
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + token);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
