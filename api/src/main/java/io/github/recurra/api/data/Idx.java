package io.github.recurra.api.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An array read from an IDX file (the MNIST format): a big-endian header {@code 0x00 0x00 <type> <rank>}, then
 * {@code rank} 32-bit big-endian dimensions, then the elements. Files compressed with gzip are recognised by their
 * first two bytes. Only unsigned bytes (type {@code 0x08}) are supported, which is what MNIST and Fashion-MNIST use.
 *
 * @param dims the dimensions
 * @param data the elements, unsigned bytes in row-major order
 */
public record Idx(int[] dims, byte[] data) {

    /** Type code of unsigned bytes. */
    public static final int UNSIGNED_BYTE = 0x08;

    /**
     * The most bytes {@link #read(Path)} accepts, after decompression: 1 GiB, twenty times MNIST's training images.
     * A small gzip file can inflate to gigabytes; {@link #read(Path, long)} takes another limit.
     */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    /**
     * Reads an IDX file, plain or gzipped, of at most {@link #DEFAULT_MAX_BYTES} bytes (after decompression).
     *
     * @param file the file
     * @return its contents
     * @throws IllegalArgumentException if the file is not a well-formed unsigned-byte IDX file (wrong magic number,
     *     truncated, trailing bytes, a damaged gzip stream) or is larger than the limit, with the file name and what
     *     to do
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static Idx read(Path file) {
        return read(file, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads an IDX file, plain or gzipped, refusing it as soon as more than {@code maxBytes} bytes have been read
     * (after decompression), so that a small file that inflates to gigabytes cannot exhaust memory.
     *
     * @param file     the file
     * @param maxBytes the most bytes to accept, from 1 to {@link Integer#MAX_VALUE} − 8
     * @return its contents
     * @throws IllegalArgumentException as {@link #read(Path)}, and if {@code maxBytes} is out of range
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static Idx read(Path file, long maxBytes) {
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the IDX size limit must be between 1 and " + (Integer.MAX_VALUE - 8)
                    + " bytes but was " + maxBytes);
        }
        byte[] bytes;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gz = b0 == 0x1f && b1 == 0x8b;
            try (InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw) {
                bytes = in.readNBytes((int) maxBytes);
                if (bytes.length == maxBytes && in.read() != -1) {
                    throw new IllegalArgumentException("IDX file " + file + " holds more than the limit of " + maxBytes
                            + " bytes" + (gz ? " once decompressed" : "") + "; if it really is that large, read it "
                            + "with Idx.read(file, maxBytes) and a larger limit");
                }
            }
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("IDX file " + file + " does not exist", e);
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new IllegalArgumentException("IDX file " + file + " is a damaged gzip stream (" + e.getMessage()
                    + "); download it again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /**
     * Parses IDX bytes (not gzipped).
     *
     * @param bytes  the whole file
     * @param source its name, for messages
     * @return the contents
     * @throws IllegalArgumentException if the bytes are not a well-formed unsigned-byte IDX file
     */
    public static Idx parse(byte[] bytes, String source) {
        if (bytes.length < 4) {
            throw new IllegalArgumentException("IDX file " + source + " is truncated: it has " + bytes.length
                    + " bytes, fewer than the 4-byte header; download it again");
        }
        int magic = readInt(bytes, 0);
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new IllegalArgumentException(String.format("IDX file %s has magic number 0x%08X but an IDX file "
                    + "starts with 0x0000 then a type and a rank (MNIST images: 0x00000803, labels: 0x00000801); it "
                    + "is not an IDX file or is corrupt", source, magic));
        }
        int type = bytes[2] & 0xff;
        int rank = bytes[3] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new IllegalArgumentException(String.format("IDX file %s holds element type 0x%02X but only unsigned "
                    + "bytes (0x08) are supported (magic number 0x%08X)", source, type, magic));
        }
        if (rank < 1) {
            throw new IllegalArgumentException("IDX file " + source + " declares rank 0; expected at least 1");
        }
        int header = 4 + 4 * rank;
        if (bytes.length < header) {
            throw new IllegalArgumentException("IDX file " + source + " is truncated inside its header ("
                    + bytes.length + " of " + header + " bytes); download it again");
        }
        int[] dims = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = readInt(bytes, 4 + 4 * i);
            if (dims[i] < 0) {
                throw new IllegalArgumentException("IDX file " + source + " declares a negative dimension "
                        + dims[i] + "; it is corrupt");
            }
            n *= dims[i];
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("IDX file " + source + " declares " + Arrays.toString(
                        Arrays.copyOf(dims, i + 1)) + "... which is more than 2^31 elements; it is corrupt");
            }
        }
        long have = bytes.length - (long) header;
        if (have < n) {
            throw new IllegalArgumentException("IDX file " + source + " is truncated: its header " + Arrays.toString(dims)
                    + " promises " + n + " bytes of data but only " + have + " are there; download it again");
        }
        if (have > n) {
            throw new IllegalArgumentException("IDX file " + source + " has " + (have - n) + " bytes after the "
                    + n + " its header " + Arrays.toString(dims) + " promises; it is corrupt or not this format");
        }
        return new Idx(dims, Arrays.copyOfRange(bytes, header, bytes.length));
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Idx && Arrays.equals(((Idx) o).dims, dims) && Arrays.equals(((Idx) o).data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Idx" + Arrays.toString(dims);
    }
}
