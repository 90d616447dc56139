package io.github.recurra.api.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a file so that readers see either its previous contents or the new ones, never a part: the bytes go to a
 * temporary file in the target's directory (named after the target, ending in {@code .tmp}), which gets the target's
 * POSIX permissions (or {@code rw-r--r--} for a new file), is flushed to disk, and is then renamed over the target in
 * one atomic move; where the file system cannot move atomically, an ordinary replacing move is the fallback. If
 * anything fails, including the caller's {@link Writer}, the temporary file is deleted and the target is left as it
 * was. Model files ({@link ModelFile#save}) are written this way, and so can any other format.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Writes a file's contents to a stream. The stream is buffered and belongs to {@link AtomicFiles}: closing it only
     * flushes it.
     */
    @FunctionalInterface
    public interface Writer {

        /**
         * @param out where the file's contents go
         * @throws IOException if writing fails; the target is then left as it was
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} with {@code bytes} atomically.
     *
     * @param target the file; its directory must exist
     * @param bytes  the new contents
     * @throws UncheckedIOException if writing fails, naming the target (the previous file, if any, is left intact)
     */
    public static void write(Path target, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    /**
     * Replaces {@code target} atomically with what {@code writer} writes.
     *
     * @param target the file; its directory must exist
     * @param writer writes the new contents
     * @throws UncheckedIOException if writing fails, the writer's {@link IOException} included, naming the target
     *     (the previous file, if any, is left intact)
     * @throws RuntimeException     whatever unchecked exception the writer throws, unchanged (the previous file is
     *     left intact here too)
     */
    public static void write(Path target, Writer writer) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(writer, "writer");
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
            keepPermissions(target, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new Unclosable(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is in the target's directory and named after it
                }
            }
        }
    }

    /**
     * Gives the temporary file the target's permissions, or rw-r--r-- for a new file (a temporary file starts
     * private), where the file system has POSIX permissions.
     */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> perms = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }

    /** The writer's view of the stream: whole arrays pass straight through, and closing only flushes. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
