package io.github.recurra.examples.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A file's expected digest.
 *
 * @param algorithm a {@link MessageDigest} algorithm, {@code MD5} or {@code SHA-256}
 * @param hex       the digest in lower-case hexadecimal
 */
record Checksum(String algorithm, String hex) {

    Checksum {
        Objects.requireNonNull(algorithm, "algorithm");
        hex = hex.toLowerCase(Locale.ROOT);
        digest(algorithm); // fails early on an unknown algorithm
        if (hex.length() != 2 * digest(algorithm).getDigestLength() || !hex.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException(algorithm + " digest must be " + 2 * digest(algorithm)
                    .getDigestLength() + " hexadecimal digits but was '" + hex + "'");
        }
    }

    static Checksum md5(String hex) {
        return new Checksum("MD5", hex);
    }

    static Checksum sha256(String hex) {
        return new Checksum("SHA-256", hex);
    }

    /** @return a new digest of this checksum's algorithm */
    MessageDigest newDigest() {
        return digest(algorithm);
    }

    /**
     * @param file a file
     * @return its digest with this checksum's algorithm, in hexadecimal
     * @throws UncheckedIOException if it cannot be read
     */
    String of(Path file) {
        MessageDigest d = newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to check its " + algorithm + ": "
                    + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /**
     * @param digest a finished digest's bytes
     * @return whether they are this checksum
     */
    boolean matches(byte[] digest) {
        return HexFormat.of().formatHex(digest).equals(hex);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm '" + algorithm + "'; use MD5 or SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return algorithm + " " + hex;
    }
}
