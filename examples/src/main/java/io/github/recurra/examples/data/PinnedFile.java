package io.github.recurra.examples.data;

import java.util.Objects;

/**
 * One file of an npm package, as it is cached.
 *
 * @param entry    its path inside the package tarball, for example {@code package/data/seattle-weather.csv}
 * @param name     its file name in the cache directory
 * @param checksum its expected digest
 */
record PinnedFile(String entry, String name, Checksum checksum) {

    PinnedFile {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(checksum, "checksum");
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("a cached file's name must be a plain file name but was '" + name
                    + "'");
        }
    }

    /**
     * @param dir  the directory that holds the package's tarball's {@code package/data} files
     * @param name the file name
     * @param checksum its digest
     * @return the file {@code package/<dir>/<name>}, cached as {@code name}
     */
    static PinnedFile in(String dir, String name, Checksum checksum) {
        return new PinnedFile("package/" + dir + "/" + name, name, checksum);
    }
}
