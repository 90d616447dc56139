package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.data.CharText;
import io.github.recurra.api.data.Idx;
import io.github.recurra.api.data.TimeSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that the fuzz tests' contract turned into clear refusals: size limits and text encodings. */
class ReaderLimitsTest {
    @TempDir
    Path dir;

    private static byte[] idx(int n) {
        return ByteBuffer.allocate(8 + n).put(new byte[] {0, 0, 8, 1}).putInt(n).array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void aGzippedIdxFileThatInflatesPastTheLimitIsRefusedAndALargerLimitReadsIt() throws IOException {
        Path f = dir.resolve("big-idx.gz");
        byte[] plain = idx(100_000);
        Files.write(f, gzip(plain));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(f, 50_000));
        assertTrue(e.getMessage().contains("more than the limit of 50000 bytes once decompressed"), e.getMessage());
        assertTrue(e.getMessage().contains("Idx.read(file, maxBytes)"), e.getMessage());
        assertArrayEquals(new int[] {100_000}, Idx.read(f, plain.length).dims());
        assertArrayEquals(new int[] {100_000}, Idx.read(f).dims());
        assertThrows(IllegalArgumentException.class, () -> Idx.read(f, 0));
    }

    @Test
    void aCsvFileThatIsNotUtf8IsRefusedAsBadInputNotAsAnIoFailure() throws IOException {
        Path f = dir.resolve("latin1.csv");
        Files.write(f, "a,b\n1,2\n3,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeSeries.readCsv(f, List.of("a"), List.of("b"), 1, 1, 0.5, 0));
        assertTrue(e.getMessage().contains("is not UTF-8 text") && e.getMessage().contains("save it as UTF-8"),
                e.getMessage());
    }

    @Test
    void charTextRefusesOneHotInputsBeyondAnArrayInsteadOfOverflowing() {
        // 70,000 windows of 200 characters over 300 distinct characters: 4.2e9 values, past an int
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 70_201; i++) {
            text.append((char) ('\u0100' + i % 300));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CharText.of(text.toString(), 200, 1));
        assertTrue(e.getMessage().contains("one-hot input values") && e.getMessage().contains("larger stride"),
                e.getMessage());
    }
}
