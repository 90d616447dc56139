package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.io.ModelFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A damaged model file is reported for what it is: another kind of file (the magic), a newer format (the version
 * digit), corrupted (a header byte, a checksum or the end marker does not fit), or truncated (it stops early). The
 * header positions come from the format as its Javadoc describes it, walked here independently of the reader.
 */
class ModelFileHeaderTest {
    private static final byte[] GOOD = ModelFileBytesTest.checkpointLike().toBytes();
    private static final int[] MASKS = {0x01, 0x80, 0xFF};

    /** A header field's byte positions and what it is, for assertion messages. */
    private record Field(String what, int from, int to) {
    }

    /** The header fields of {@link #GOOD}: magic, version, count, each section's name length, name, length, crc. */
    private static List<Field> headerFields() {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("magic", 0, 7));
        fields.add(new Field("version", 7, 8));
        fields.add(new Field("section count", 8, 12));
        ByteBuffer b = ByteBuffer.wrap(GOOD);
        int count = b.getInt(8);
        int pos = 12;
        for (int i = 0; i < count; i++) {
            int nameLength = b.getShort(pos) & 0xffff;
            String name = new String(GOOD, pos + 2, nameLength, StandardCharsets.UTF_8);
            fields.add(new Field(name + " name length", pos, pos + 2));
            // names of extra sections carry no checksum: a changed name is another valid section name
            if (name.equals("spec") || name.equals("parameters")) {
                fields.add(new Field(name + " name", pos + 2, pos + 2 + nameLength));
            }
            pos += 2 + nameLength;
            long length = b.getLong(pos);
            fields.add(new Field(name + " length", pos, pos + 8));
            fields.add(new Field(name + " crc", pos + 8, pos + 12));
            pos += 12 + (int) length;
        }
        fields.add(new Field("end marker", pos, pos + 8));
        assertTrue(pos + 8 == GOOD.length, "the walk covers the whole file");
        return fields;
    }

    private static String message(byte[] bytes) {
        return assertThrows(IllegalArgumentException.class, () -> ModelFile.fromBytes(bytes)).getMessage();
    }

    @Test
    void everyFlippedHeaderByteIsReportedAsTheRightKindOfDamage() {
        List<Field> fields = headerFields();
        assertTrue(fields.size() > 15, fields.toString());
        for (Field f : fields) {
            for (int i = f.from(); i < f.to(); i++) {
                for (int mask : MASKS) {
                    byte[] bad = GOOD.clone();
                    bad[i] ^= (byte) mask;
                    String m = message(bad);
                    String where = f.what() + " byte " + i + " ^ " + mask + ": " + m;
                    assertTrue(m.startsWith("model bytes "), where);
                    assertFalse(m.contains("truncated"), where);
                    switch (f.what()) {
                        case "magic" -> assertTrue(m.contains("does not start with the Recurra magic 'RECURRA1'; it "
                                + "is not a Recurra model file (it starts with '"), where);
                        case "version" -> assertTrue(m.contains("starts with the Recurra magic 'RECURRA' but its "
                                + "format version byte is '"), where);
                        default -> assertTrue(m.startsWith("model bytes is corrupted: "), where);
                    }
                }
            }
        }
    }

    @Test
    void aNewerFormatVersionSaysSo() {
        for (char v : new char[] {'2', '9'}) {
            byte[] newer = GOOD.clone();
            newer[7] = (byte) v;
            String m = message(newer);
            assertTrue(m.startsWith("model bytes is a Recurra model file of format version " + v + ", newer than "
                    + "version 1, the one this Recurra reads"), m);
        }
        byte[] zero = GOOD.clone();
        zero[7] = '0';
        assertTrue(message(zero).contains("format version byte is '0' where '1' was expected"), message(zero));
    }

    @Test
    void everyTruncationIsReportedAsTruncated() {
        for (int n = 1; n < GOOD.length; n++) {
            String m = message(Arrays.copyOf(GOOD, n));
            String where = "cut to " + n + " of " + GOOD.length + " bytes: " + m;
            assertTrue(m.startsWith("model bytes is truncated: "), where);
            assertTrue(m.endsWith("the model was not written completely"), where);
        }
        assertTrue(message(new byte[0]).endsWith("it is not a Recurra model file: it is empty"));
    }

    @Test
    void bytesAfterTheEndMarkerAreCorruption() {
        byte[] longer = Arrays.copyOf(GOOD, GOOD.length + 5);
        String m = message(longer);
        assertTrue(m.startsWith("model bytes is corrupted: "), m);
        byte[] twice = Arrays.copyOf(GOOD, 2 * GOOD.length);
        System.arraycopy(GOOD, 0, twice, GOOD.length, GOOD.length);
        assertTrue(message(twice).equals("model bytes is corrupted: " + GOOD.length + " bytes follow its end marker"),
                message(twice));
    }
}
