package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files as bytes and streams: the same bytes as on disk, and the same checks and messages as {@code load}. */
class ModelFileBytesTest {
    @TempDir
    Path dir;

    static final Network NET = ModelFileTest.NET;

    static ModelFile checkpointLike() {
        Parameters extra = Parameters.empty().put("m/x", Tensor.of(new float[] {1.5f, Float.MIN_VALUE}, 2));
        return ModelFile.of(NET, Initialization.defaults().initialize(NET, 9)).withTensors("optimizer", extra)
                .withText("trainer", Map.of("step", "12"));
    }

    static void assertSameModel(ModelFile expected, ModelFile got) {
        assertEquals(expected.network(), got.network());
        assertEquals(expected.parameters().names(), got.parameters().names());
        for (String name : expected.parameters().names()) {
            assertArrayEquals(expected.parameters().get(name).data(), got.parameters().get(name).data(), 0f, name);
            assertArrayEquals(expected.parameters().get(name).shape(), got.parameters().get(name).shape(), name);
        }
        assertArrayEquals(expected.tensors("optimizer").get("m/x").data(), got.tensors("optimizer").get("m/x").data(),
                0f);
        assertEquals(expected.text("trainer"), got.text("trainer"));
    }

    /** The sections of model file bytes, by name, read as the format in ModelFile's Javadoc says. */
    static Map<String, byte[]> sections(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        byte[] magic = new byte[8];
        in.readFully(magic);
        assertEquals("RECURRA1", new String(magic, StandardCharsets.US_ASCII));
        int count = in.readInt();
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[in.readUnsignedShort()];
            in.readFully(name);
            byte[] payload = new byte[(int) in.readLong()];
            in.readInt();
            in.readFully(payload);
            out.put(new String(name, StandardCharsets.UTF_8), payload);
        }
        return out;
    }

    /** Model file bytes with one section's payload replaced and its checksum recomputed, as a crafted file has. */
    static byte[] withSection(byte[] bytes, String section, UnaryOperator<byte[]> change) throws IOException {
        Map<String, byte[]> s = sections(bytes);
        s.put(section, change.apply(s.get(section)));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.write("RECURRA1".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(s.size());
        for (Map.Entry<String, byte[]> e : s.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            out.writeShort(name.length);
            out.write(name);
            out.writeLong(e.getValue().length);
            CRC32 crc = new CRC32();
            crc.update(e.getValue());
            out.writeInt((int) crc.getValue());
            out.write(e.getValue());
        }
        out.write("RECURRA!".getBytes(StandardCharsets.US_ASCII));
        return bos.toByteArray();
    }

    @Test
    void bytesStreamsAndFilesAreTheSameBytes() throws IOException {
        ModelFile m = checkpointLike();
        Path f = dir.resolve("model.recurra");
        m.save(f);
        byte[] onDisk = Files.readAllBytes(f);
        byte[] bytes = m.toBytes();
        assertArrayEquals(onDisk, bytes, "toBytes gives exactly what save writes");
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        m.write(stream);
        assertArrayEquals(bytes, stream.toByteArray(), "write(OutputStream) too");

        assertSameModel(m, ModelFile.fromBytes(bytes));
        assertSameModel(m, ModelFile.fromBytes(onDisk));
        assertSameModel(m, ModelFile.read(new ByteArrayInputStream(bytes), bytes.length));
        assertArrayEquals(bytes, ModelFile.fromBytes(bytes).toBytes(), "and read back, the same bytes again");
        assertArrayEquals(bytes, ModelFile.load(f).toBytes());

        Path g = dir.resolve("again.recurra");
        ModelFile.fromBytes(bytes).save(g);
        assertArrayEquals(onDisk, Files.readAllBytes(g), "bytes -> file -> bytes is the identity");
    }

    @Test
    void fromBytesNamesWhatIsWrongWithDamagedBytes() throws IOException {
        byte[] good = checkpointLike().toBytes();

        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.fromBytes(Arrays.copyOf(good, good.length - 100)));
        assertTrue(cut.getMessage().startsWith("model bytes is truncated: section '"), cut.getMessage());
        assertTrue(cut.getMessage().contains("the model was not written completely"), cut.getMessage());

        IllegalArgumentException noEnd = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.fromBytes(Arrays.copyOf(good, good.length - 3)));
        assertTrue(noEnd.getMessage().startsWith("model bytes is truncated: it ends before its last section"),
                noEnd.getMessage());

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        IllegalArgumentException corrupt = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.fromBytes(flipped));
        assertTrue(corrupt.getMessage().startsWith("model bytes is corrupted: the checksum of section '"),
                corrupt.getMessage());

        byte[] badEnd = good.clone();
        badEnd[good.length - 1] = '?';
        IllegalArgumentException end = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.fromBytes(badEnd));
        assertEquals("model bytes is corrupted: the end marker is missing", end.getMessage());

        for (byte[] notAModel : new byte[][] {new byte[0],
                "not a model file at all".getBytes(StandardCharsets.US_ASCII)}) {
            IllegalArgumentException magic = assertThrows(IllegalArgumentException.class,
                    () -> ModelFile.fromBytes(notAModel));
            assertTrue(magic.getMessage().startsWith("model bytes does not start with the Recurra magic 'RECURRA1'; "
                    + "it is not a Recurra model file"), magic.getMessage());
        }
        IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.fromBytes(null));
        assertTrue(nothing.getMessage().startsWith("model bytes: null was given"), nothing.getMessage());
    }

    @Test
    void fromBytesRejectsCraftedSectionsWithValidChecksums() throws IOException {
        byte[] good = checkpointLike().toBytes();

        // parameters of another network, under this network's spec
        Network other = Network.builder(5).layer(Sequence.of(GruCell.of(3))).head(Head.classifier(2)).build();
        byte[] otherParams = sections(ModelFile.of(other, Initialization.defaults().initialize(other, 1)).toBytes())
                .get("parameters");
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.fromBytes(withSection(good, "parameters", p -> otherParams)));
        assertTrue(mismatch.getMessage().startsWith("model bytes: the parameters do not fit the network spec: "),
                mismatch.getMessage());

        // the first tensor's rank set to 2^31 - 1: rejected before anything that large is allocated
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.fromBytes(withSection(good, "parameters", p -> {
                    ByteBuffer b = ByteBuffer.wrap(p.clone());
                    int nameLength = b.getShort(4) & 0xffff;
                    b.putInt(4 + 2 + nameLength, Integer.MAX_VALUE);
                    return b.array();
                })));
        assertTrue(rank.getMessage().startsWith("model bytes parameters: tensor '") && rank.getMessage().contains(
                "declares rank 2147483647, which does not fit in the section"), rank.getMessage());

        // the first tensor's first dimension made huge: the product would overflow an int
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.fromBytes(withSection(good, "parameters", p -> {
                    ByteBuffer b = ByteBuffer.wrap(p.clone());
                    int nameLength = b.getShort(4) & 0xffff;
                    b.putInt(4 + 2 + nameLength + 4, 1 << 30);
                    return b.array();
                })));
        assertTrue(shape.getMessage().contains("does not fit in the section"), shape.getMessage());

        // six dimensions whose product is 2^64 + 4: an unclamped long product wraps to 4, a size that fits
        IllegalArgumentException wraps = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.fromBytes(withSection(good, "parameters", p -> {
                    ByteBuffer b = ByteBuffer.wrap(p.clone());
                    int at = 4 + 2 + (b.getShort(4) & 0xffff);
                    b.putInt(at, 6);
                    int[] dims = {4, 5, 5581, 8681, 49477, 384773};
                    for (int d = 0; d < dims.length; d++) {
                        b.putInt(at + 4 + 4 * d, dims[d]);
                    }
                    return b.array();
                })));
        assertTrue(wraps.getMessage().contains("does not fit in the section"), wraps.getMessage());

        // a spec that lacks a key
        IllegalArgumentException spec = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.fromBytes(withSection(good, "spec", s -> new String(s, StandardCharsets.UTF_8)
                        .replaceFirst("(?m)^input=.*\n", "").getBytes(StandardCharsets.UTF_8))));
        assertTrue(spec.getMessage().startsWith("model bytes: ") && spec.getMessage().contains(
                "the network spec has no 'input'"), spec.getMessage());
    }

    @Test
    void readTakesTheWholeStreamUpToItsLimitAndLeavesItOpen() {
        ModelFile m = checkpointLike();
        byte[] bytes = m.toBytes();
        boolean[] closed = new boolean[1];
        InputStream in = new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        assertSameModel(m, ModelFile.read(in, bytes.length));
        assertFalse(closed[0], "read does not close the stream");

        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.read(new ByteArrayInputStream(bytes), bytes.length - 1));
        assertEquals("model stream holds more than the limit of " + (bytes.length - 1) + " bytes; pass a larger "
                + "limit to ModelFile.read if the model is that big", big.getMessage());

        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.read(new ByteArrayInputStream(Arrays.copyOf(bytes, 200)), bytes.length));
        assertTrue(cut.getMessage().startsWith("model stream is truncated"), cut.getMessage());

        IllegalArgumentException limit = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.read(new ByteArrayInputStream(bytes), 0));
        assertTrue(limit.getMessage().contains("at least 1 byte but was 0"), limit.getMessage());

        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };
        UncheckedIOException io = assertThrows(UncheckedIOException.class, () -> ModelFile.read(failing, 100));
        assertEquals("cannot read the model stream: disk on fire", io.getMessage());
    }

    @Test
    void loadStillNamesTheFile() throws IOException {
        Path f = dir.resolve("cut.recurra");
        byte[] good = checkpointLike().toBytes();
        Files.write(f, Arrays.copyOf(good, good.length - 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().startsWith("model file " + f + " is truncated: section '"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the file was not written completely"), e.getMessage());
        UncheckedIOException missing = assertThrows(UncheckedIOException.class,
                () -> ModelFile.load(dir.resolve("none")));
        assertEquals("model file " + dir.resolve("none") + " does not exist", missing.getMessage());
    }

    @Test
    void saveNamesTheModelFileWhenWritingFails() {
        Path f = dir.resolve("no-such-dir").resolve("model.recurra");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> checkpointLike().save(f));
        assertTrue(e.getMessage().startsWith("cannot write model file " + f + ": "), e.getMessage());
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
    }
}
