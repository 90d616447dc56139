package io.github.recurra.api.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Recurra's version, as the build stamped it into this module ({@code version.properties}, filtered by Maven), for
 * what exported files record about their producer (the ONNX {@code producer_version}, a SavedModel's metadata).
 */
public final class LibraryVersion {
    private static final String VERSION = load();

    private LibraryVersion() {
    }

    /** @return the version, for example {@code 0.1.0-SNAPSHOT}, or {@code unknown} in an unfiltered build */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = LibraryVersion.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "");
            return v.isEmpty() || v.startsWith("$") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
