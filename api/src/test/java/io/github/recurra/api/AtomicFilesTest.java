package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.recurra.api.io.AtomicFiles;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles}: the target is replaced whole or not at all, with no temporary file left behind. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void writesNewFilesAndReplacesOldOnes() throws IOException {
        Path f = dir.resolve("data.bin");
        byte[] first = random(10, 1);
        AtomicFiles.write(f, first);
        assertArrayEquals(first, Files.readAllBytes(f));
        byte[] second = random(300_000, 2); // larger than the 64 KiB buffer
        AtomicFiles.write(f, second);
        assertArrayEquals(second, Files.readAllBytes(f));
        byte[] third = random(5, 3);
        AtomicFiles.write(f, out -> {
            for (byte b : third) {
                out.write(b);
            }
        });
        assertArrayEquals(third, Files.readAllBytes(f), "shorter contents leave nothing of the old file");
        assertEquals(List.of("data.bin"), files(), "no temporary file remains");
    }

    @Test
    void aWriterMayWrapAndCloseTheStream() throws IOException {
        Path f = dir.resolve("wrapped.bin");
        AtomicFiles.write(f, out -> {
            try (DataOutputStream d = new DataOutputStream(out)) {
                d.writeInt(0x01020304);
                d.writeUTF("after the int");
            }
        });
        byte[] got = Files.readAllBytes(f);
        assertEquals(4 + 2 + 13, got.length, "closing the stream only flushed it");
        assertArrayEquals(new byte[] {1, 2, 3, 4}, java.util.Arrays.copyOf(got, 4));
    }

    @Test
    void aWriterFailingHalfwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("keep.bin");
        Files.writeString(f, "the old contents");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(random(200_000, 4)); // past the buffer, so part of it reached the temporary file
            throw new IOException("device full");
        }));
        assertEquals("cannot write " + f + ": device full", e.getMessage());
        assertEquals("device full", e.getCause().getMessage());
        assertEquals("the old contents", Files.readString(f, StandardCharsets.UTF_8));
        assertEquals(List.of("keep.bin"), files(), "the temporary file was deleted");

        IllegalStateException bug = new IllegalStateException("the writer's own bug");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write(random(100, 5));
            throw bug;
        }));
        assertSame(bug, thrown, "unchecked exceptions pass through unchanged");
        assertEquals("the old contents", Files.readString(f, StandardCharsets.UTF_8));
        assertEquals(List.of("keep.bin"), files());

        Path fresh = dir.resolve("never.bin");
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(fresh, out -> {
            throw new IOException("nothing to write");
        }));
        assertEquals(List.of("keep.bin"), files(), "a failed first write creates nothing");
    }

    @Test
    void newFilesAreReadableByOthersAndReplacedFilesKeepTheirPermissions() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class),
                "POSIX permissions are not supported here");
        Path f = dir.resolve("perm.bin");
        AtomicFiles.write(f, random(10, 6));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
                "not the private rw------- of a temporary file");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.write(f, random(10, 7));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
        AtomicFiles.write(f, random(10, 8));
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
                "a read-only file is replaced (the directory is writable) and stays read-only");
    }

    @Test
    void aMissingDirectoryFailsNamingTheTarget() {
        Path f = dir.resolve("missing").resolve("x.bin");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(f, new byte[1]));
        assertTrue(e.getMessage().startsWith("cannot write " + f + ": "), e.getMessage());
    }
}
