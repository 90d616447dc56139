package io.github.recurra.examples;

import io.github.recurra.api.spi.BackendProvider;
import io.github.recurra.api.spi.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Checks and formatting that several commands share. */
final class Cli {

    private Cli() {
    }

    /**
     * Fails unless the directory a command will write {@code file} into exists, so that a typo is reported before
     * any work is done rather than after it.
     *
     * @param file   the file to be written
     * @param option the option that named it, for the message
     * @throws IllegalArgumentException if its directory does not exist or {@code file} is a directory
     */
    static void requireDirectoryOf(Path file, String option) {
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new IllegalArgumentException(option + " " + file + " is a directory; give a file name in it");
        }
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + file + ": directory " + dir + " does not exist; create "
                    + "it first or choose another path");
        }
    }

    /**
     * Checks a backend name given on the command line before any work is done (finding its provider is cheap).
     *
     * @param option the option that named it, for the message
     * @param name   the name, in any case
     * @return the backend's provider
     * @throws IllegalArgumentException naming the option, the backends on the classpath, and the dependency that
     *     brings a known backend that is missing
     */
    static BackendProvider provider(String option, String name) {
        try {
            return Backends.provider(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param x a non-negative number
     * @return it with two significant digits in scientific notation without padding ({@code 2.4e-7}), {@code 0} for
     *     zero, {@code NaN} for NaN
     */
    static String sci(double x) {
        if (x == 0) {
            return "0";
        }
        if (!Double.isFinite(x)) {
            return String.valueOf(x);
        }
        return String.format(Locale.ROOT, "%.1e", x).replaceFirst("e\\+?(-?)0*(\\d)", "e$1$2");
    }
}
