package io.github.recurra.api.io;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Recurra's model file: a network spec, its parameters, and optionally named extra sections (a checkpoint adds the
 * optimizer's state and the trainer's progress).
 *
 * <p>Format (version 1), all integers big-endian:
 * <pre>
 *   magic        8 bytes  "RECURRA1": "RECURRA", then the format version as one ASCII digit
 *   sections     int32    count
 *   per section: name     int16 length + UTF-8 bytes
 *                length   int64
 *                crc32    int32 of the payload
 *                payload  bytes
 *   end          8 bytes  "RECURRA!"
 * </pre>
 * Section {@code spec} holds the network as sorted {@code key=value} lines (UTF-8). Tensor sections ({@code
 * parameters}, and {@code optimizer} in checkpoints) hold: int32 count, then per tensor its name (int16 length +
 * UTF-8), int32 rank, int32 dimensions, and the float32 values little-endian in row-major order. Other sections are
 * {@code key=value} text.
 *
 * <p>A model file is a file ({@link #save}, {@link #load}), bytes in memory ({@link #toBytes}, {@link #fromBytes}) or
 * a stream ({@link #write(OutputStream)}, {@link #read(InputStream, int)}), the same bytes each way. Writes to a file
 * go to a temporary file in the same directory, are flushed to disk, then moved over the target in one atomic rename
 * ({@link AtomicFiles}), so a crash mid-write leaves the previous file intact. Reading checks the magic and the
 * format version, every section's length and checksum, the end marker, and that the parameters fit the spec; every
 * failure names the source ({@code model file <path>}, {@code model bytes} or {@code model stream}) and what is
 * wrong: not a model file (another magic), a newer format version, truncated (the data stops before the end marker
 * where more was declared), or corrupted (the data ends with the end marker, but a header or checksum does not fit). The spec alone,
 * as text, is {@link #specText} and {@link #parseSpec}.
 */
public final class ModelFile {
    private static final byte[] MAGIC = "RECURRA1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "RECURRA!".getBytes(StandardCharsets.US_ASCII);

    private final Network network;
    private final Parameters parameters;
    private final Map<String, byte[]> extra;

    private ModelFile(Network network, Parameters parameters, Map<String, byte[]> extra) {
        this.network = network;
        this.parameters = parameters;
        this.extra = extra;
    }

    /**
     * @param network    the spec
     * @param parameters its parameters (checked against the spec)
     * @return a model file to {@link #save}
     */
    public static ModelFile of(Network network, Parameters parameters) {
        parameters.checkMatches(network);
        return new ModelFile(network, parameters, new LinkedHashMap<>());
    }

    /** @return the network spec */
    public Network network() {
        return network;
    }

    /** @return the parameters */
    public Parameters parameters() {
        return parameters;
    }

    /**
     * Adds named tensors as an extra section.
     *
     * @param name    section name (not {@code spec} or {@code parameters})
     * @param tensors the tensors
     * @return this
     */
    public ModelFile withTensors(String name, Parameters tensors) {
        extra.put(checkName(name), encodeTensors(tensors));
        return this;
    }

    /**
     * Adds {@code key=value} text as an extra section.
     *
     * @param name   section name
     * @param values the entries
     * @return this
     */
    public ModelFile withText(String name, Map<String, String> values) {
        values.forEach((k, v) -> {
            if (k.isEmpty() || k.contains("=") || k.contains("\n") || v.contains("\n")) {
                throw new IllegalArgumentException("text section '" + name + "': keys must be non-empty without '=' "
                        + "or line breaks, values without line breaks; got '" + k + "'");
            }
        });
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        extra.put(checkName(name), sb.toString().getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * @param name a section name
     * @return whether the file has it
     */
    public boolean has(String name) {
        return extra.containsKey(name);
    }

    /**
     * @param name an extra tensor section
     * @return its tensors
     * @throws IllegalArgumentException if the file has no such section
     */
    public Parameters tensors(String name) {
        return decodeTensors(section(name), name);
    }

    /**
     * @param name an extra text section
     * @return its entries
     */
    public Map<String, String> text(String name) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : new String(section(name), StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    private byte[] section(String name) {
        byte[] b = extra.get(name);
        if (b == null) {
            throw new IllegalArgumentException("the model file has no '" + name + "' section; it has "
                    + extra.keySet());
        }
        return b;
    }

    private static String checkName(String name) {
        if (name.equals("spec") || name.equals("parameters") || name.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' is reserved or empty; choose another section name");
        }
        return name;
    }

    /**
     * Writes the file atomically ({@link AtomicFiles}): the encoding of {@link #write(OutputStream)} goes to a
     * temporary file that is then renamed over {@code file}.
     *
     * @param file the target; its directory must exist
     * @throws UncheckedIOException if writing fails (the previous file, if any, is left intact)
     */
    public void save(Path file) {
        try {
            AtomicFiles.write(file, this::encode);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot write model file " + file + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /**
     * Encodes the model file in memory; {@link #fromBytes} reads it back, and the bytes are exactly those
     * {@link #save} writes to disk.
     *
     * @return the model file's bytes
     */
    public byte[] toBytes() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            encode(bos);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bos.toByteArray();
    }

    /**
     * Writes the model file's bytes (those of {@link #toBytes}) to a stream, which is neither buffered nor closed
     * here.
     *
     * @param out the stream
     * @throws UncheckedIOException if the stream fails
     */
    public void write(OutputStream out) {
        Objects.requireNonNull(out, "out");
        try {
            encode(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model file to the stream: " + e.getMessage(), e);
        }
    }

    private void encode(OutputStream stream) throws IOException {
        Map<String, byte[]> sections = new LinkedHashMap<>();
        sections.put("spec", SpecCodec.write(network).getBytes(StandardCharsets.UTF_8));
        sections.put("parameters", encodeTensors(parameters));
        sections.putAll(extra);
        DataOutputStream out = new DataOutputStream(stream);
        out.write(MAGIC);
        out.writeInt(sections.size());
        for (Map.Entry<String, byte[]> e : sections.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            out.writeShort(name.length);
            out.write(name);
            out.writeLong(e.getValue().length);
            out.writeInt((int) crc(e.getValue()));
            out.write(e.getValue());
        }
        out.write(END);
        out.flush();
    }

    /**
     * Whether a file starts like a Recurra model file of any format version (the magic {@code RECURRA} and a
     * version digit), so that {@link #load} can say what is wrong with it, a newer version included; says nothing
     * about the rest.
     *
     * @param file a file
     * @return true if its first bytes are the model-file magic followed by a digit
     * @throws UncheckedIOException if it cannot be read
     */
    public static boolean isModelFile(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC.length);
            return head.length == MAGIC.length && Arrays.equals(head, 0, MAGIC.length - 1, MAGIC, 0, MAGIC.length - 1)
                    && head[MAGIC.length - 1] >= '0' && head[MAGIC.length - 1] <= '9';
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads and checks a model file.
     *
     * @param file the file
     * @return its contents
     * @throws IllegalArgumentException if the file is not a Recurra model file, is truncated or corrupted, or its
     *     parameters do not fit its spec; the message names the file ({@code model file <path>}) and the problem
     * @throws UncheckedIOException     if it cannot be read
     */
    public static ModelFile load(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("model file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        return decode(all, "model file " + file, "the file");
    }

    /**
     * Reads and checks a model file's bytes, as {@link #toBytes} gives them or {@link #save} writes them, with the
     * checks of {@link #load}.
     *
     * @param bytes the bytes (not modified, not kept)
     * @return their contents
     * @throws IllegalArgumentException if the bytes are not a Recurra model file, are truncated or corrupted, or the
     *     parameters do not fit the spec; the message names the source as {@code model bytes} and says the problem
     */
    public static ModelFile fromBytes(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("model bytes: null was given; pass the bytes of ModelFile.toBytes()");
        }
        return decode(bytes, "model bytes", "the model");
    }

    /**
     * Reads a model file from a stream, to its end, with the checks of {@link #load}. The stream is not closed.
     * Reading stops, and fails, once more than {@code maxBytes} have arrived, so an endless or unexpectedly large
     * stream cannot exhaust memory; {@link #toBytes}{@code .length} of the model, or its file size, is a safe bound.
     *
     * @param in       the stream, positioned at the model file's first byte
     * @param maxBytes the most bytes to accept, at least 1
     * @return its contents
     * @throws IllegalArgumentException if {@code maxBytes} is below 1, if the stream holds more than {@code maxBytes}
     *     bytes, or if they are not a Recurra model file, are truncated or corrupted, or the parameters do not fit
     *     the spec; the message names the source as {@code model stream} and says the problem
     * @throws UncheckedIOException     if the stream fails
     */
    public static ModelFile read(InputStream in, int maxBytes) {
        Objects.requireNonNull(in, "in");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("model stream: the size limit must be at least 1 byte but was "
                    + maxBytes);
        }
        byte[] all;
        try {
            all = in.readNBytes(maxBytes);
            if (all.length == maxBytes && in.read() != -1) {
                throw new IllegalArgumentException("model stream holds more than the limit of " + maxBytes
                        + " bytes; pass a larger limit to ModelFile.read if the model is that big");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model stream: " + e.getMessage(), e);
        }
        return decode(all, "model stream", "the model");
    }

    /**
     * @param src  the source, opening every message: {@code model file <path>}, {@code model bytes}, {@code model
     *             stream}
     * @param what what was not written completely, when it is truncated: "the file", "the model"
     */
    private static ModelFile decode(byte[] all, String src, String what) {
        Map<String, byte[]> sections = readSections(all, src, what);
        if (!sections.containsKey("spec") || !sections.containsKey("parameters")) {
            throw new IllegalArgumentException(src + " is corrupted: it lacks its 'spec' or 'parameters' section; "
                    + "it has " + sections.keySet());
        }
        return decodeSections(sections, src);
    }

    /**
     * Reads the header, the sections and the end marker, telling apart what is not a model file, a newer format, a
     * truncated file (it does not end with the end marker, and runs out where more was declared) and a corrupted one
     * (it ends with the end marker, but what it declares does not fit).
     */
    private static Map<String, byte[]> readSections(byte[] all, String src, String what) {
        int magicLength = MAGIC.length - 1; // "RECURRA", then the format version as one ASCII digit
        if (all.length == 0) {
            throw new IllegalArgumentException(src + " does not start with the Recurra magic 'RECURRA1'; it is not a "
                    + "Recurra model file: it is empty");
        }
        int head = Math.min(all.length, magicLength);
        if (!Arrays.equals(all, 0, head, MAGIC, 0, head)) {
            throw new IllegalArgumentException(src + " does not start with the Recurra magic 'RECURRA1'; it is not a "
                    + "Recurra model file (it starts with " + printable(all, MAGIC.length) + ")");
        }
        if (all.length < MAGIC.length) {
            throw new IllegalArgumentException(src + " is truncated: it has only " + all.length + " bytes, fewer than "
                    + "the " + MAGIC.length + " of the magic 'RECURRA1'; " + what + " was not written completely");
        }
        byte version = all[magicLength];
        if (version != MAGIC[magicLength]) {
            if (version > MAGIC[magicLength] && version <= '9') {
                throw new IllegalArgumentException(src + " is a Recurra model file of format version "
                        + (char) version + ", newer than version " + (char) MAGIC[magicLength] + ", the one this "
                        + "Recurra reads; read it with the Recurra release that wrote it, or a newer one");
            }
            throw new IllegalArgumentException(src + " starts with the Recurra magic 'RECURRA' but its format "
                    + "version byte is " + printable(all, magicLength, 1) + " where '" + (char) MAGIC[magicLength]
                    + "' was expected; it is corrupted, or not a Recurra model file");
        }
        boolean ended = all.length >= MAGIC.length + END.length
                && Arrays.equals(all, all.length - END.length, all.length, END, 0, END.length);
        Reader in = new Reader(all, MAGIC.length, src, what, ended);
        int count = in.readInt("the section count");
        if (count < 2 || count > 1000) {
            throw new IllegalArgumentException(src + " is corrupted: it declares " + count + " sections, but a model "
                    + "file has 2 (spec, parameters) to 1000");
        }
        Map<String, byte[]> sections = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String header = "the header of section " + (i + 1) + " of " + count;
            int nameLength = in.readShort(header);
            String n = new String(in.read(nameLength, header), StandardCharsets.UTF_8);
            long len = in.readLong("the header of section '" + n + "'");
            int crc = in.readInt("the header of section '" + n + "'");
            if (len < 0 || len > in.remaining()) {
                if (ended || len < 0) {
                    throw new IllegalArgumentException(src + " is corrupted: section '" + n + "' declares " + len
                            + " bytes but " + in.remaining() + " remain before the end of the data, which does end "
                            + "with the end marker; its header was damaged");
                }
                throw new IllegalArgumentException(src + " is truncated: section '" + n + "' needs " + len
                        + " bytes but only " + in.remaining() + " remain; " + what + " was not written completely");
            }
            byte[] payload = in.read((int) len, "section '" + n + "'");
            if ((int) crc(payload) != crc) {
                throw new IllegalArgumentException(src + " is corrupted: the checksum of section '" + n
                        + "' does not match its contents");
            }
            sections.put(n, payload);
        }
        int left = in.remaining();
        if (left == END.length && !ended) {
            throw new IllegalArgumentException(src + " is corrupted: the end marker is missing");
        }
        if (left < END.length) {
            throw new IllegalArgumentException(src + " is truncated: it ends before its last section's end marker; "
                    + what + " was not written completely");
        }
        if (left > END.length) {
            boolean markerNext = Arrays.equals(all, all.length - left, all.length - left + END.length, END, 0,
                    END.length);
            throw new IllegalArgumentException(src + " is corrupted: " + (markerNext ? (left - END.length)
                    + " bytes follow its end marker" : left + " bytes follow its last declared section, where the end "
                    + "marker was expected (is the section count damaged?)"));
        }
        return sections;
    }

    /** The bytes {@code [from, from + n)} (as far as there are any) as a quoted string with escapes. */
    private static String printable(byte[] b, int from, int n) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = from; i < Math.min(b.length, from + n); i++) {
            int c = b[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.append("'").toString();
    }

    private static String printable(byte[] b, int n) {
        return printable(b, 0, n);
    }

    /** Big-endian reads that fail as "truncated" or "corrupted" (see {@link #readSections}) when data runs out. */
    private static final class Reader {
        private final byte[] b;
        private final String src;
        private final String what;
        private final boolean ended;
        private int pos;

        Reader(byte[] b, int pos, String src, String what, boolean ended) {
            this.b = b;
            this.pos = pos;
            this.src = src;
            this.what = what;
            this.ended = ended;
        }

        int remaining() {
            return b.length - pos;
        }

        byte[] read(int n, String field) {
            if (n > remaining()) {
                if (ended) {
                    throw new IllegalArgumentException(src + " is corrupted: " + field + " runs past the end of the "
                            + "data, which does end with the end marker; a header before it was damaged");
                }
                throw new IllegalArgumentException(src + " is truncated: it ends inside " + field + ", before its "
                        + "last section; " + what + " was not written completely");
            }
            byte[] out = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        int readShort(String field) {
            return ByteBuffer.wrap(read(2, field)).getShort() & 0xffff;
        }

        int readInt(String field) {
            return ByteBuffer.wrap(read(4, field)).getInt();
        }

        long readLong(String field) {
            return ByteBuffer.wrap(read(8, field)).getLong();
        }
    }

    private static ModelFile decodeSections(Map<String, byte[]> sections, String src) {
        Network net = SpecCodec.read(new String(sections.remove("spec"), StandardCharsets.UTF_8), src);
        Parameters params = decodeTensors(sections.remove("parameters"), src + " parameters");
        try {
            params.checkMatches(net);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(src + ": the parameters do not fit the network spec: "
                    + e.getMessage(), e);
        }
        return new ModelFile(net, params, sections);
    }

    /**
     * The network spec as text: sorted {@code key=value} lines, exactly the {@code spec} section of a model file.
     * Floats are written so that they read back exactly; {@link #parseSpec} reads it back to an equal network. Other
     * formats embed it to carry a Recurra network (for example in an ONNX model's metadata).
     *
     * @param network the network
     * @return its spec text
     */
    public static String specText(Network network) {
        Objects.requireNonNull(network, "network");
        return SpecCodec.write(network);
    }

    /**
     * Reads spec text as {@link #specText} writes it.
     *
     * @param text the spec text
     * @return the network it describes
     * @throws IllegalArgumentException if the text is null, has a line that is not {@code key=value}, lacks a key,
     *     or has a value that does not parse or is out of range; the message starts with {@code spec text} and says
     *     which line or key is wrong
     */
    public static Network parseSpec(String text) {
        if (text == null) {
            throw new IllegalArgumentException("spec text: null was given; pass the text of ModelFile.specText");
        }
        return SpecCodec.read(text, "spec text");
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    static byte[] encodeTensors(Parameters p) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeInt(p.names().size());
            for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                out.writeShort(name.length);
                out.write(name);
                int[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (int d : shape) {
                    out.writeInt(d);
                }
                ByteBuffer buf = ByteBuffer.allocate(4 * e.getValue().size()).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(e.getValue().data());
                out.write(buf.array());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    static Parameters decodeTensors(byte[] bytes, String what) {
        Parameters p = Parameters.empty();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                byte[] name = new byte[in.readUnsignedShort()];
                in.readFully(name);
                int rank = in.readInt();
                if (rank < 0 || rank > in.available() / 4) {
                    throw new IllegalArgumentException(what + ": tensor '" + new String(name, StandardCharsets.UTF_8)
                            + "' declares rank " + rank + ", which does not fit in the section; it is corrupt");
                }
                int[] shape = new int[rank];
                long size = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readInt();
                    // clamped, so that a corrupt shape cannot overflow the product; the check below then fails
                    size = shape[d] < 1 ? 0 : Math.min(size * shape[d], Integer.MAX_VALUE);
                }
                if (size < 1 || size * 4 > in.available()) {
                    throw new IllegalArgumentException(what + ": tensor '" + new String(name, StandardCharsets.UTF_8)
                            + "' of shape " + Arrays.toString(shape) + " does not fit in the section");
                }
                byte[] raw = new byte[(int) size * 4];
                in.readFully(raw);
                float[] data = new float[(int) size];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
                p.put(new String(name, StandardCharsets.UTF_8), Tensor.wrap(data, shape));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is corrupt: " + e.getMessage(), e);
        }
        return p;
    }

    @Override
    public String toString() {
        return "ModelFile{" + network + ", sections " + extra.keySet() + "}";
    }
}
