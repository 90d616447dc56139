package io.github.recurra.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetcher on a package tarball built here, served by a stand-in for the registry: what it writes, what it leaves
 * alone, and what it says when something is wrong. Checksums are computed here with the JDK's digests.
 */
class NpmFetcherTest {
    private static final byte[] A = "date,value\n2020-01-01,1.5\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "x\n1\n2\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    /** A registry stand-in that serves one tarball and counts downloads. */
    private static final class Served implements TarballSource {
        final Path tarball;
        int downloads;

        Served(Path tarball) {
            this.tarball = tarball;
        }

        @Override
        public String download(NpmPackage pkg, Path file, Progress progress, String otherwise) {
            downloads++;
            try {
                long size = Files.size(tarball);
                progress.start(pkg.spec(), size);
                Files.copy(tarball, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                progress.advance(size / 2);
                progress.advance(size);
                progress.finish();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return "test:" + tarball.getFileName();
        }
    }

    private static String hex(String algorithm, byte[] b) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
    }

    private Path tarball(Map<String, byte[]> entries) throws IOException {
        Path file = tmp.resolve("pkg-" + entries.hashCode() + ".tgz");
        try (OutputStream out = Files.newOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    private static String integrity(Path file) throws IOException, NoSuchAlgorithmException {
        return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512")
                .digest(Files.readAllBytes(file)));
    }

    private NpmPackage pkg(Path tarball, byte[] pinnedA) throws Exception {
        return new NpmPackage("test-data", "1.0.0", integrity(tarball), List.of(
                PinnedFile.in("data", "a.csv", Checksum.sha256(hex("SHA-256", pinnedA))),
                PinnedFile.in("data", "b.csv", Checksum.md5(hex("MD5", B)))));
    }

    private Path standardTarball() throws IOException {
        return tarball(new java.util.LinkedHashMap<>(Map.of("package/README.md", "hi".getBytes(StandardCharsets.UTF_8),
                "package/data/a.csv", A, "package/data/b.csv", B)));
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void downloadsOnceThenUsesTheCachedFilesWithoutWriting() throws Exception {
        Path t = standardTarball();
        Served served = new Served(t);
        NpmFetcher fetcher = new NpmFetcher(served);
        Path dir = tmp.resolve("cache/nested");
        List<Path> files = fetcher.fetch(pkg(t, A), List.of("b.csv", "a.csv"), List.of(), dir, Progress.none());
        assertEquals(List.of(dir.resolve("b.csv"), dir.resolve("a.csv")), files);
        assertArrayEquals(A, Files.readAllBytes(dir.resolve("a.csv")));
        assertArrayEquals(B, Files.readAllBytes(dir.resolve("b.csv")));
        assertEquals(List.of(dir.resolve("a.csv"), dir.resolve("b.csv")), listing(dir), "no temporary files left");
        assertEquals(1, served.downloads);

        FileTime before = Files.getLastModifiedTime(dir.resolve("a.csv"));
        Files.setLastModifiedTime(dir.resolve("a.csv"), FileTime.fromMillis(1_000_000));
        fetcher.fetch(pkg(t, A), List.of("a.csv", "b.csv"), List.of(), dir, Progress.none());
        assertEquals(1, served.downloads, "the checksummed files are there: no download");
        assertEquals(FileTime.fromMillis(1_000_000), Files.getLastModifiedTime(dir.resolve("a.csv")), "not rewritten");
        assertFalse(before.equals(FileTime.fromMillis(1_000_000)));
    }

    @Test
    void extrasAreExtractedWithTheWantedFileButDoNotFailIt() throws Exception {
        Path t = standardTarball();
        Served served = new Served(t);
        Path dir = tmp.resolve("cache");
        Files.createDirectories(dir);
        Files.write(dir.resolve("b.csv"), "the user's own b".getBytes(StandardCharsets.UTF_8));
        Path a = new NpmFetcher(served).fetch(pkg(t, A), List.of("a.csv"), List.of("a.csv", "b.csv"), dir,
                Progress.none()).get(0);
        assertArrayEquals(A, Files.readAllBytes(a));
        assertEquals("the user's own b", Files.readString(dir.resolve("b.csv")), "an extra that is there is left");
    }

    @Test
    void aFileOfTheUsersWithAnotherChecksumIsReportedAndKept() throws Exception {
        Path t = standardTarball();
        Served served = new Served(t);
        Path dir = tmp.resolve("mine");
        Files.createDirectories(dir);
        Files.write(dir.resolve("a.csv"), B);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new NpmFetcher(served)
                .fetch(pkg(t, A), List.of("a.csv", "b.csv"), List.of(), dir, Progress.none()));
        assertEquals(dir.resolve("a.csv") + " has SHA-256 " + hex("SHA-256", B) + " but package/data/a.csv of "
                + "test-data@1.0.0 has " + hex("SHA-256", A) + ": it is another file or a damaged copy. Recurra "
                + "replaces no file it did not write: move or delete " + dir.resolve("a.csv") + " and run again to "
                + "download it, or use another directory", e.getMessage());
        assertArrayEquals(B, Files.readAllBytes(dir.resolve("a.csv")));
        assertEquals(List.of(dir.resolve("a.csv")), listing(dir));
        assertEquals(0, served.downloads);
    }

    @Test
    void aTarballThatIsNotThePinnedOneWritesNothing() throws Exception {
        Path t = standardTarball();
        Path other = tarball(Map.of("package/data/a.csv", A));
        Path dir = tmp.resolve("never-created");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new NpmFetcher(new Served(other))
                .fetch(pkg(t, A), List.of("a.csv"), List.of(), dir, Progress.none()));
        assertTrue(e.getMessage().startsWith("the tarball of test-data@1.0.0 from test:" + other.getFileName()
                + " has integrity " + integrity(other) + " but " + integrity(t) + " is pinned"), e.getMessage());
        assertTrue(e.getMessage().endsWith("or put a.csv (from test-data@1.0.0) in " + dir + " yourself"),
                e.getMessage());
        assertFalse(Files.exists(dir));
    }

    @Test
    void aFileWithAnotherChecksumInTheTarballIsNotWritten() throws Exception {
        Path t = standardTarball();
        byte[] pinned = "what was published".getBytes(StandardCharsets.UTF_8);
        Path dir = tmp.resolve("d");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new NpmFetcher(new Served(t))
                .fetch(pkg(t, pinned), List.of("a.csv", "b.csv"), List.of(), dir, Progress.none()));
        assertTrue(e.getMessage().startsWith("package/data/a.csv in the tarball of test-data@1.0.0 has SHA-256 "
                + hex("SHA-256", A) + " but " + hex("SHA-256", pinned) + " is pinned; " + dir.resolve("a.csv")
                + " was not written"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("a.csv")));
        assertTrue(listing(dir).stream().noneMatch(p -> p.getFileName().toString().endsWith(".part")),
                listing(dir).toString());
    }

    @Test
    void aPinnedFileMissingFromTheTarballIsNamed() throws Exception {
        Path t = tarball(Map.of("package/data/b.csv", B));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new NpmFetcher(new Served(t))
                .fetch(pkg(t, A), List.of("a.csv", "b.csv"), List.of(), tmp.resolve("d"), Progress.none()));
        assertTrue(e.getMessage().startsWith("the tarball of test-data@1.0.0 has no package/data/a.csv; "),
                e.getMessage());
    }

    @Test
    void unknownNamesListThePinnedOnes() throws Exception {
        Path t = standardTarball();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NpmFetcher(new Served(t))
                .fetch(pkg(t, A), List.of("c.csv"), List.of(), tmp, Progress.none()));
        assertEquals("'c.csv' is not among the files Recurra takes from test-data@1.0.0; choose one of [a.csv, b.csv]",
                e.getMessage());
        assertEquals("'nope.csv' is not among the files Recurra takes from vega-datasets@3.2.1; choose one of "
                + "[co2-concentration.csv, seattle-weather.csv, stocks.csv, sp500.csv]",
                assertThrows(IllegalArgumentException.class, () -> NpmDatasets.vega("nope.csv", tmp, Progress.none()))
                        .getMessage());
    }

    @Test
    void withoutNpmTheMessageSaysToInstallItOrPutTheFilesThere() throws Exception {
        Path t = standardTarball();
        Path dir = tmp.resolve("data");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new NpmFetcher(new NpmRegistry("recurra-test-no-such-npm")).fetch(pkg(t, A),
                        List.of("a.csv", "b.csv"), List.of(), dir, Progress.none()));
        assertTrue(e.getMessage().startsWith("npm is needed to download test-data@1.0.0 but "
                + "'recurra-test-no-such-npm' cannot be run"), e.getMessage());
        assertTrue(e.getMessage().endsWith("install Node's npm (Debian: apt-get install npm), or put a.csv, b.csv "
                + "(from test-data@1.0.0) in " + dir + " yourself"), e.getMessage());
        assertFalse(Files.exists(dir));
    }

    @Test
    void plainProgressPrintsALinePerTenth() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = Progress.lines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        p.start("pkg@1", 2_000_000);
        for (long done = 0; done <= 2_000_000; done += 50_000) {
            p.advance(done);
        }
        p.finish();
        List<String> lines = new ArrayList<>(bytes.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(11, lines.size(), lines.toString());
        assertEquals("Downloading pkg@1 (2.0 MB) ...", lines.get(0));
        assertEquals("  pkg@1: 10% (0.2 of 2.0 MB)", lines.get(1));
        assertEquals("  pkg@1: 90% (1.8 of 2.0 MB)", lines.get(9));
        assertEquals("  pkg@1: 2.0 MB received", lines.get(10));
    }
}
