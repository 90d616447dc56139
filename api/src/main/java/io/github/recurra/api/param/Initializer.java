package io.github.recurra.api.param;

import java.util.SplittableRandom;

/**
 * Fills a matrix-shaped block of a parameter from a seeded generator. The implementations are plain Java with a
 * fixed sequence of draws, so the same seed gives the same values on every JVM and backend.
 */
@FunctionalInterface
public interface Initializer {

    /**
     * Fills {@code rows × cols} values at {@code data[offset ...]} in row-major order.
     *
     * @param data   the array to write
     * @param offset first index written
     * @param rows   rows of the block (for a weight matrix: output units)
     * @param cols   columns of the block (for a weight matrix: input units)
     * @param random the generator to draw from (advanced)
     */
    void fill(float[] data, int offset, int rows, int cols, SplittableRandom random);

    /** @return fills with zeros */
    static Initializer zeros() {
        return constant(0f);
    }

    /**
     * @param value the value
     * @return fills with {@code value}
     */
    static Initializer constant(float value) {
        return (data, offset, rows, cols, random) -> java.util.Arrays.fill(data, offset, offset + rows * cols, value);
    }

    /**
     * Glorot (Xavier) uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)), fanIn = cols, fanOut = rows.
     *
     * @return the initializer
     */
    static Initializer glorotUniform() {
        return (data, offset, rows, cols, random) -> {
            double a = Math.sqrt(6.0 / (rows + cols));
            for (int i = 0; i < rows * cols; i++) {
                data[offset + i] = (float) ((2.0 * random.nextDouble() - 1.0) * a);
            }
        };
    }

    /**
     * Orthogonal (Saxe et al. 2014, as Keras' {@code Orthogonal}): a standard normal matrix is reduced by QR
     * (modified Gram-Schmidt in double precision, signs fixed so R's diagonal is positive); the result has
     * orthonormal columns when rows ≥ cols and orthonormal rows otherwise, scaled by {@code gain}.
     *
     * @param gain multiplier, usually 1
     * @return the initializer
     */
    static Initializer orthogonal(double gain) {
        return (data, offset, rows, cols, random) -> {
            boolean tall = rows >= cols;
            int n = tall ? rows : cols; // long side
            int m = tall ? cols : rows; // short side: number of orthonormal vectors
            double[][] v = new double[m][n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    v[i][j] = gaussian(random);
                }
            }
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < i; k++) {
                    double dot = 0;
                    for (int j = 0; j < n; j++) {
                        dot += v[i][j] * v[k][j];
                    }
                    for (int j = 0; j < n; j++) {
                        v[i][j] -= dot * v[k][j];
                    }
                }
                double norm = 0;
                for (int j = 0; j < n; j++) {
                    norm += v[i][j] * v[i][j];
                }
                norm = Math.sqrt(norm);
                for (int j = 0; j < n; j++) {
                    v[i][j] /= norm;
                }
            }
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double x = tall ? v[c][r] : v[r][c];
                    data[offset + r * cols + c] = (float) (gain * x);
                }
            }
        };
    }

    /**
     * A standard normal draw by the Box-Muller transform, defined here so that it does not depend on the JDK's
     * {@code nextGaussian} algorithm.
     *
     * @param random the generator
     * @return a draw from N(0, 1)
     */
    static double gaussian(SplittableRandom random) {
        double u1;
        do {
            u1 = random.nextDouble();
        } while (u1 <= 0.0);
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
