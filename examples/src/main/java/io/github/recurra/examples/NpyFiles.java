package io.github.recurra.examples;

import io.github.recurra.api.io.AtomicFiles;
import io.github.recurra.api.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpyFile;

/**
 * NumPy {@code .npy} files of float32 values, read and written by the {@code org.jetbrains.bio:npy} library (which
 * needs the Kotlin standard library at run time; Maven brings it along and the shaded jar holds it).
 *
 * <p>Reading adds the checks a command needs before it runs a network: the element type is float32, the rank is 3
 * ({@code [batch, time, features]}), the feature count is the network's, no axis is empty, the file holds exactly
 * the bytes its header promises (the library pads a truncated file with zeros instead of failing, so this is checked
 * here from the two length fields of the preamble), and every value is finite. Every failure names the file, what
 * was expected and how to fix it. The whole array is read into memory (the library reads arrays whole).
 *
 * <p>Writing goes through the library into a scratch file next to the target, which {@link AtomicFiles} then copies
 * over the target in one atomic rename, so readers never see a partly written file.
 */
final class NpyFiles {
    /** Bytes of the preamble read for the size check: magic, version and a header length of up to 4 bytes. */
    private static final int PREAMBLE = 12;

    private NpyFiles() {
    }

    /**
     * Reads {@code [batch, time, features]} float32 sequences.
     *
     * @param file     the {@code .npy} file
     * @param features the features per step the network expects
     * @param what     what the file is, for messages (for example {@code "input"})
     * @return a tensor over the file's values, row-major
     * @throws IllegalArgumentException if the file is not a readable {@code .npy} file, is not float32, has another
     *                                  rank or feature count, has an empty axis, is truncated or holds a NaN or an
     *                                  infinity; the message names the file and what to do
     * @throws UncheckedIOException     if the file does not exist or cannot be read
     */
    static Tensor readSequences(Path file, int features, String what) {
        NpyArray array = read(file, what);
        Object data = array.getData();
        int[] shape = array.getShape();
        if (!(data instanceof float[] values)) {
            throw new IllegalArgumentException(what + " " + file + " holds " + typeName(data) + " values of shape "
                    + Arrays.toString(shape) + " but float32 is needed; convert it with numpy: numpy.save(path, "
                    + "x.astype(numpy.float32))");
        }
        if (shape.length != 3) {
            throw new IllegalArgumentException(what + " " + file + " has shape " + Arrays.toString(shape) + " (rank "
                    + shape.length + ") but [batch, time, " + features + "] is needed; a single sequence needs a "
                    + "batch axis of 1 (x[numpy.newaxis]), a batch of scalar series a feature axis of 1 "
                    + "(x[..., numpy.newaxis])");
        }
        if (shape[2] != features) {
            throw new IllegalArgumentException(what + " " + file + " has " + shape[2] + " features per step (shape "
                    + Arrays.toString(shape) + ") but the model expects " + features + "; give it arrays of shape "
                    + "[batch, time, " + features + "]");
        }
        if (shape[0] < 1 || shape[1] < 1) {
            throw new IllegalArgumentException(what + " " + file + " has shape " + Arrays.toString(shape) + ", with no "
                    + (shape[0] < 1 ? "sequences" : "time steps") + "; give at least one sequence of one step");
        }
        checkSize(file, what, Float.BYTES * (long) values.length);
        Tensor x = Tensor.wrap(values, shape);
        int i = x.firstNonFinite();
        if (i >= 0) {
            int t = shape[1];
            int f = shape[2];
            throw new IllegalArgumentException(what + " " + file + " holds " + values[i] + " at [" + i / (t * f)
                    + ", " + (i / f) % t + ", " + i % f + "]; the network needs finite values: clean or impute "
                    + "the data first");
        }
        return x;
    }

    /**
     * Writes float32 values as a {@code .npy} file (little-endian {@code <f4}, C order), atomically.
     *
     * @param file   the target; its directory must exist; replaced if it exists
     * @param values the values in row-major order (not modified)
     * @param shape  their shape
     * @throws IllegalArgumentException if the shape does not fit the number of values (the library would write a
     *                                  header that does not match the data)
     * @throws UncheckedIOException     if writing fails, naming the file (a previous file is then left intact)
     */
    static void writeFloats(Path file, float[] values, int... shape) {
        long n = 1;
        for (int d : shape) {
            n = d < 0 ? -1 : n * d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("cannot write " + file + ": shape " + Arrays.toString(shape)
                    + " needs " + (n < 0 ? "non-negative dimensions" : n + " values") + " but " + values.length
                    + " were given");
        }
        Path target = file.toAbsolutePath();
        Path scratch = null;
        try {
            scratch = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            NpyFile.write(scratch, values, shape);
            Path written = scratch;
            AtomicFiles.write(target, out -> Files.copy(written, out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (scratch != null) {
                try {
                    Files.deleteIfExists(scratch);
                } catch (IOException ignored) {
                    // best effort: the scratch file is hidden, next to the target and named after it
                }
            }
        }
    }

    /** The library's read, with its failures turned into messages that name the file. */
    private static NpyArray read(Path file, String what) {
        if (!Files.exists(file)) {
            throw new UncheckedIOException(what + " " + file + " does not exist", new NoSuchFileException(
                    file.toString()));
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " " + file + " is not a file; give a .npy file");
        }
        try {
            return NpyFile.read(file, Integer.MAX_VALUE);
        } catch (OutOfMemoryError e) {
            // one allocation of the whole array failed, so nothing else was taken from the heap
            throw new IllegalArgumentException(what + " " + file + " does not fit in the Java heap (" + sizeOf(file)
                    + " bytes on disk); split it into smaller files or give Java more memory (RECURRA_JAVA_OPTS="
                    + "-Xmx16g)", e);
        } catch (Exception e) {
            // the library throws IllegalStateException, NumberFormatException, NoSuchElementException and others for
            // files it cannot parse, and passes I/O errors through unchecked (Kotlin has no checked exceptions)
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot read " + what + " " + file + ": " + io.getMessage(), io);
            }
            String hint = String.valueOf(e.getMessage()).contains("Fortran")
                    ? "; save it in C order: numpy.save(path, numpy.ascontiguousarray(x))"
                    : "; save a float32 array of shape [batch, time, features] with numpy.save";
            throw new IllegalArgumentException(what + " " + file + " is not a NumPy .npy file this tool reads ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")" + hint, e);
        }
    }

    /**
     * Fails unless the file is exactly its header plus {@code dataBytes}. The header's length is in the preamble:
     * magic (6 bytes), version (2), then the header length as little-endian uint16 (version 1) or uint32 (2 and 3).
     */
    private static void checkSize(Path file, String what, long dataBytes) {
        long size = sizeOf(file);
        ByteBuffer pre = ByteBuffer.allocate(PREAMBLE).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (pre.hasRemaining() && ch.read(pre) >= 0) {
                // fill the preamble; the library has read the file already, so it is long enough
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
        int major = pre.get(6);
        long header = major == 1 ? 10 + Short.toUnsignedInt(pre.getShort(8)) : 12 + Integer.toUnsignedLong(
                pre.getInt(8));
        if (size != header + dataBytes) {
            throw new IllegalArgumentException(what + " " + file + " has " + size + " bytes but its header promises "
                    + (header + dataBytes) + " (" + header + " of header, " + dataBytes + " of data): the file is "
                    + (size < header + dataBytes ? "truncated" : "followed by extra bytes") + "; write it again with "
                    + "numpy.save");
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The NumPy name of the element type the library returned, as far as its Java array type tells. */
    private static String typeName(Object data) {
        if (data instanceof double[]) {
            return "float64";
        } else if (data instanceof int[]) {
            return "int32";
        } else if (data instanceof long[]) {
            return "int64";
        } else if (data instanceof short[]) {
            return "int16";
        } else if (data instanceof byte[]) {
            return "8-bit integer";
        } else if (data instanceof boolean[]) {
            return "bool";
        } else if (data instanceof String[]) {
            return "string";
        }
        return data == null ? "no" : data.getClass().getSimpleName();
    }
}
