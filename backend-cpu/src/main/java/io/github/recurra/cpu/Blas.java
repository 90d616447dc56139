package io.github.recurra.cpu;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * The matrix products the kernels use, in one place so that the implementation behind them can be measured and
 * changed without touching the cell code. The output argument is always the last and is overwritten or accumulated
 * into as the name says; no method allocates.
 */
final class Blas {
    /**
     * Whether the products use {@link VectorGemm}: true when the JVM was started with
     * {@code --add-modules jdk.incubator.vector} and the system property {@code recurra.cpu.simd} is not
     * {@code false} ({@link Kernels#CHOSEN}); otherwise EJML's {@link CommonOps_FDRM}. Tests switch it to compare the
     * two.
     */
    static boolean simd = Kernels.CHOSEN.vector();

    private Blas() {
    }

    /** c = a b. */
    static void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        product(a, b, null, c, false);
    }

    /** c += a b. */
    static void multAdd(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        product(a, b, null, c, true);
    }

    /** c (+)= a b, with b's panels packed beforehand ({@link Packed}) or null; EJML's products without SIMD. */
    private static void product(FMatrixRMaj a, FMatrixRMaj b, float[] panels, FMatrixRMaj c, boolean add) {
        if (!simd) {
            if (add) {
                CommonOps_FDRM.multAdd(a, b, c);
            } else {
                CommonOps_FDRM.mult(a, b, c);
            }
            return;
        }
        checkInner(a.numCols, b.numRows, add ? "multAdd" : "mult");
        if (add) {
            checkOut(c, a.numRows, b.numCols);
        } else {
            c.reshape(a.numRows, b.numCols);
        }
        VectorGemm.gemm(a.numRows, b.numCols, a.numCols, a.data, 0, a.numCols, 1, b.data, 0, b.numCols, panels, c.data,
                0, c.numCols, add);
    }

    /** c += a<sup>T</sup> b. */
    static void multAddTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        if (simd) {
            checkInner(a.numRows, b.numRows, "multAddTransA");
            checkOut(c, a.numCols, b.numCols);
            VectorGemm.gemm(a.numCols, b.numCols, a.numRows, a.data, 0, 1, a.numCols, b.data, 0, b.numCols, c.data,
                    0, c.numCols, true);
        } else {
            CommonOps_FDRM.multAddTransA(a, b, c);
        }
    }

    /**
     * A right-hand matrix that many products read unchanged (a kernel's weights), with its panels packed once for the
     * Vector API kernel ({@link VectorGemm#pack}). Call {@link #refresh} after changing {@link #m}.
     */
    static final class Packed {
        final FMatrixRMaj m;
        private float[] panels;

        Packed(FMatrixRMaj m) {
            this.m = m;
        }

        /** Packs {@link #m} again (its values or shape changed); without the Vector API there is nothing to pack. */
        void refresh() {
            panels = simd ? VectorGemm.pack(m.data, 0, m.numCols, m.numRows, m.numCols, panels) : null;
        }
    }

    /**
     * Two right-hand matrices stacked, [top; bottom] (same columns), that many products read unchanged (a layer's
     * input and recurrent weights), with their panels packed once for {@link #multStacked}. Call {@link #refresh}
     * after changing either matrix.
     */
    static final class Stacked {
        final FMatrixRMaj top;
        final FMatrixRMaj bottom;
        private float[] panels;

        Stacked(FMatrixRMaj top, FMatrixRMaj bottom) {
            if (top.numCols != bottom.numCols) {
                throw new IllegalArgumentException("stacked matrices need the same columns, not " + top.numCols
                        + " and " + bottom.numCols);
            }
            this.top = top;
            this.bottom = bottom;
        }

        /** Packs both matrices again; without the Vector API there is nothing to pack. */
        void refresh() {
            panels = simd ? VectorGemm.packStacked(top.data, top.numRows, bottom.data, bottom.numRows, top.numCols,
                    panels) : null;
        }
    }

    /**
     * c = a1 b.top + a2 b.bottom: on the Vector API path one product over both (each element the in-order sum over
     * a1's columns, then a2's: the bits of {@code mult(a1, top)} followed by {@code multAdd(a2, bottom)}, which is
     * what EJML's path computes).
     */
    static void multStacked(FMatrixRMaj a1, FMatrixRMaj a2, Stacked b, FMatrixRMaj c) {
        if (!simd) {
            CommonOps_FDRM.mult(a1, b.top, c);
            CommonOps_FDRM.multAdd(a2, b.bottom, c);
            return;
        }
        checkInner(a1.numCols, b.top.numRows, "multStacked");
        checkInner(a2.numCols, b.bottom.numRows, "multStacked");
        if (a1.numRows != a2.numRows) {
            throw new IllegalArgumentException("multStacked: left-hand sides of " + a1.numRows + " and " + a2.numRows
                    + " rows");
        }
        c.reshape(a1.numRows, b.top.numCols);
        VectorGemm.gemmStacked(a1.numRows, c.numCols, a1.numCols, a1.data, 0, a1.numCols, b.top.data, a2.numCols,
                a2.data, 0, a2.numCols, b.bottom.data, b.panels, c.data, 0, c.numCols, false);
    }

    /** c = a b, b packed. */
    static void mult(FMatrixRMaj a, Packed b, FMatrixRMaj c) {
        product(a, b.m, b.panels, c, false);
    }

    /** c += a b, b packed. */
    static void multAdd(FMatrixRMaj a, Packed b, FMatrixRMaj c) {
        product(a, b.m, b.panels, c, true);
    }

    /**
     * c += Σ<sub>s</sub> a<sub>s</sub><sup>T</sup> b<sub>s</sub>, the terms added in the order given: the same bits as
     * {@link #multAddTransA} called for each s in that order, with c loaded and stored once on the Vector API path.
     */
    static void multAddTransASum(FMatrixRMaj[] a, FMatrixRMaj[] b, FMatrixRMaj c) {
        multAddTransASum(a, b, 0, c);
    }

    /**
     * As {@link #multAddTransASum(FMatrixRMaj[], FMatrixRMaj[], FMatrixRMaj)} with b<sub>s</sub> the columns
     * [bCol, bCol + c.numCols) of each matrix in {@code b}.
     */
    static void multAddTransASum(FMatrixRMaj[] a, FMatrixRMaj[] b, int bCol, FMatrixRMaj c) {
        int ldb = b.length > 0 ? b[0].numCols : 0;
        for (int s = 0; s < a.length; s++) {
            checkInner(a[s].numRows, b[s].numRows, "multAddTransASum");
            checkOut(c, a[s].numCols, c.numCols);
            if (b[s].numCols != ldb || bCol < 0 || bCol + c.numCols > ldb) {
                throw new IllegalArgumentException("multAddTransASum: columns " + bCol + " to " + (bCol + c.numCols)
                        + " of right-hand sides that all have " + ldb + " columns, but one is " + b[s].numRows + "x"
                        + b[s].numCols);
            }
        }
        if (simd) {
            float[][] as = new float[a.length][];
            float[][] bs = new float[b.length][];
            int[] ks = new int[a.length];
            for (int s = 0; s < a.length; s++) {
                as[s] = a[s].data;
                bs[s] = b[s].data;
                ks[s] = a[s].numRows;
            }
            VectorGemm.gemmSumTransA(c.numRows, c.numCols, as, bs, bCol, ldb, ks, c.data);
        } else {
            for (int s = 0; s < a.length; s++) {
                FMatrixRMaj bs = bCol == 0 && b[s].numCols == c.numCols ? b[s]
                        : CommonOps_FDRM.extract(b[s], 0, b[s].numRows, bCol, bCol + c.numCols);
                CommonOps_FDRM.multAddTransA(a[s], bs, c);
            }
        }
    }

    private static void checkInner(int left, int right, String op) {
        if (left != right) {
            throw new IllegalArgumentException(op + ": inner dimensions differ (" + left + " vs " + right + ")");
        }
    }

    private static void checkOut(FMatrixRMaj c, int rows, int cols) {
        if (c.numRows != rows || c.numCols != cols) {
            throw new IllegalArgumentException("output is " + c.numRows + "x" + c.numCols + " but " + rows + "x"
                    + cols + " is needed");
        }
    }

    /** Adds {@code bias[offset .. offset + cols)} to every row of {@code m}'s columns [col0, col0 + cols). */
    static void addRowVector(FMatrixRMaj m, int col0, float[] bias, int offset, int cols) {
        float[] d = m.data;
        int stride = m.numCols;
        for (int r = 0; r < m.numRows; r++) {
            int o = r * stride + col0;
            for (int j = 0; j < cols; j++) {
                d[o + j] += bias[offset + j];
            }
        }
    }

    /** Adds the column sums of {@code m}'s columns [col0, col0 + cols) to {@code acc[offset ..]}. */
    static void addColumnSums(FMatrixRMaj m, int col0, int cols, float[] acc, int offset) {
        float[] d = m.data;
        int stride = m.numCols;
        for (int r = 0; r < m.numRows; r++) {
            int o = r * stride + col0;
            for (int j = 0; j < cols; j++) {
                acc[offset + j] += d[o + j];
            }
        }
    }

    /**
     * Writes the transpose of the row-major block {@code src[offset ..]} of {@code rows × cols} into {@code dst},
     * which becomes {@code cols × rows}.
     */
    static void transposeFrom(float[] src, int offset, int rows, int cols, FMatrixRMaj dst) {
        dst.reshape(cols, rows);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst.data[c * rows + r] = src[offset + r * cols + c];
            }
        }
    }

    /** Writes the transpose of {@code src} ({@code rows × cols}) as a row-major block at {@code dst[offset ..]}. */
    static void transposeTo(FMatrixRMaj src, float[] dst, int offset) {
        int rows = src.numRows;
        int cols = src.numCols;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[offset + c * rows + r] = src.data[r * cols + c];
            }
        }
    }

    /** Copies the row-major block {@code src[offset ..]} into {@code dst} (its shape). */
    static void copyFrom(float[] src, int offset, FMatrixRMaj dst) {
        System.arraycopy(src, offset, dst.data, 0, dst.getNumElements());
    }
}
