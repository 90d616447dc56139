package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading float32 sequences from .npy files, every rejection, and the atomic write. */
class NpyFilesTest {
    @TempDir
    Path dir;

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private Path write(String name, float[] values, int... shape) {
        Path f = dir.resolve(name);
        NpyFile.write(f, values, shape);
        return f;
    }

    private String rejected(Path file, int features) {
        return assertThrows(IllegalArgumentException.class, () -> NpyFiles.readSequences(file, features, "input"))
                .getMessage();
    }

    @Test
    void readsFloat32SequencesInBothByteOrders() {
        float[] x = random(2 * 3 * 4, 1);
        Tensor little = NpyFiles.readSequences(write("le.npy", x, 2, 3, 4), 4, "input");
        assertArrayEquals(new int[] {2, 3, 4}, little.shape());
        assertArrayEquals(x, little.data());
        Path be = dir.resolve("be.npy");
        NpyFile.write(be, x, new int[] {2, 3, 4}, ByteOrder.BIG_ENDIAN);
        assertArrayEquals(x, NpyFiles.readSequences(be, 4, "input").data());
    }

    @Test
    void rejectsOtherElementTypesNamingThem() {
        Path f64 = dir.resolve("f64.npy");
        NpyFile.write(f64, new double[24], new int[] {2, 3, 4});
        String m = rejected(f64, 4);
        assertTrue(m.contains("float64") && m.contains("astype(numpy.float32)") && m.contains(f64.toString()), m);
        Path i32 = dir.resolve("i32.npy");
        NpyFile.write(i32, new int[24], new int[] {2, 3, 4});
        assertTrue(rejected(i32, 4).contains("int32"), rejected(i32, 4));
    }

    @Test
    void rejectsOtherRanksAndFeatureCounts() {
        String rank = rejected(write("rank2.npy", new float[12], 3, 4), 4);
        assertTrue(rank.contains("[3, 4]") && rank.contains("rank 2") && rank.contains("[batch, time, 4]"), rank);
        String rank4 = rejected(write("rank4.npy", new float[24], 1, 2, 3, 4), 4);
        assertTrue(rank4.contains("rank 4"), rank4);
        String features = rejected(write("f5.npy", new float[30], 2, 3, 5), 4);
        assertTrue(features.contains("has 5 features per step") && features.contains("expects 4"), features);
    }

    @Test
    void rejectsEmptyAxes() {
        String m = rejected(write("empty.npy", new float[0], 0, 3, 4), 4);
        assertTrue(m.contains("no sequences"), m);
        String steps = rejected(write("nosteps.npy", new float[0], 2, 0, 4), 4);
        assertTrue(steps.contains("no time steps"), steps);
    }

    @Test
    void rejectsNonFiniteValuesWithTheirPosition() {
        float[] x = random(2 * 3 * 4, 2);
        x[1 * 12 + 2 * 4 + 3] = Float.NaN;
        String m = rejected(write("nan.npy", x, 2, 3, 4), 4);
        assertTrue(m.contains("NaN at [1, 2, 3]"), m);
        float[] y = random(2 * 3 * 4, 3);
        y[5] = Float.NEGATIVE_INFINITY;
        String inf = rejected(write("inf.npy", y, 2, 3, 4), 4);
        assertTrue(inf.contains("-Infinity at [0, 1, 1]"), inf);
    }

    @Test
    void rejectsTruncatedFilesThatTheLibraryWouldPadWithZeros() throws IOException {
        Path whole = write("whole.npy", random(24, 4), 2, 3, 4);
        byte[] b = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, Arrays.copyOf(b, b.length - 4));
        // the reason for the size check: the library itself reads this file, with a zero for the missing value
        NpyArray padded = NpyFile.read(cut, Integer.MAX_VALUE);
        assertEquals(0f, padded.asFloatArray()[23]);
        String m = rejected(cut, 4);
        assertTrue(m.contains("truncated") && m.contains(b.length - 4 + " bytes") && m.contains("promises "
                + b.length), m);
    }

    @Test
    void rejectsFilesThatAreNotNpyWithTheLibrarysReason() throws IOException {
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "a,b,c\n1,2,3\n", StandardCharsets.UTF_8);
        Path empty = dir.resolve("empty-file.npy");
        Files.write(empty, new byte[0]);
        Path header = dir.resolve("header-only.npy");
        Files.write(header, Arrays.copyOf(Files.readAllBytes(write("h.npy", new float[24], 2, 3, 4)), 30));
        for (Path p : List.of(text, empty, header)) {
            String m = rejected(p, 4);
            assertTrue(m.startsWith("input " + p + " is not a NumPy .npy file") && m.contains("numpy.save"), m);
        }
        Path dirAsFile = dir.resolve("sub.npy");
        Files.createDirectory(dirAsFile);
        assertTrue(rejected(dirAsFile, 4).contains("is not a file"));
        UncheckedIOException missing = assertThrows(UncheckedIOException.class,
                () -> NpyFiles.readSequences(dir.resolve("absent.npy"), 4, "input"));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void rejectsFortranOrderWithTheFix() throws IOException {
        // a C-order file with its header's fortran_order flag set, as numpy writes numpy.asfortranarray(x)
        byte[] b = Files.readAllBytes(write("c.npy", new float[24], 2, 3, 4));
        String s = new String(b, StandardCharsets.ISO_8859_1).replace("'fortran_order': False",
                "'fortran_order': True ");
        Path f = dir.resolve("fortran.npy");
        Files.write(f, s.getBytes(StandardCharsets.ISO_8859_1));
        String m = rejected(f, 4);
        assertTrue(m.contains("ascontiguousarray"), m);
    }

    @Test
    void writesNumpyFloat32AndReplacesAtomically() throws IOException {
        Path out = dir.resolve("out.npy");
        Files.writeString(out, "previous", StandardCharsets.UTF_8);
        float[] x = random(6, 5);
        NpyFiles.writeFloats(out, x, 2, 3);
        NpyArray back = NpyFile.read(out, Integer.MAX_VALUE);
        assertArrayEquals(new int[] {2, 3}, back.getShape());
        assertArrayEquals(x, back.asFloatArray());
        byte[] b = Files.readAllBytes(out);
        assertEquals(0x93, b[0] & 0xff);
        String header = new String(b, 0, 64, StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False"), header);
        assertEquals(out.getFileName().toString(), onlyFile(), "no scratch or temporary file is left behind");
        assertEquals(ByteBuffer.wrap(b, b.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat(), x[5]);
    }

    @Test
    void aShapeThatDoesNotFitTheValuesIsRefusedBeforeWriting() throws IOException {
        // the library itself would write this file, with a header promising 6 values and 5 behind it
        Path out = dir.resolve("kept.npy");
        Files.writeString(out, "previous", StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpyFiles.writeFloats(out, new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3] needs 6 values but 5 were given"), e.getMessage());
        assertEquals("previous", Files.readString(out, StandardCharsets.UTF_8));
        assertEquals("kept.npy", onlyFile());
    }

    @Test
    void aFailedWriteLeavesNoScratchFileAndTheTargetAsItWas() throws IOException {
        // the target is a directory with a file in it: the final rename fails after the library wrote the scratch file
        Path target = dir.resolve("busy.npy");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "kept", StandardCharsets.UTF_8);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> NpyFiles.writeFloats(target, new float[6], 2, 3));
        assertTrue(e.getMessage().startsWith("cannot write " + target), e.getMessage());
        assertEquals("busy.npy", onlyFile());
        assertEquals("kept", Files.readString(target.resolve("inside"), StandardCharsets.UTF_8));
        UncheckedIOException noDir = assertThrows(UncheckedIOException.class,
                () -> NpyFiles.writeFloats(dir.resolve("absent/x.npy"), new float[1], 1));
        assertTrue(noDir.getMessage().startsWith("cannot write " + dir.resolve("absent/x.npy")), noDir.getMessage());
    }

    private String onlyFile() throws IOException {
        try (var s = Files.list(dir)) {
            List<Path> all = s.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0).getFileName().toString();
        }
    }
}
