package io.github.recurra.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A register-tiled float32 matrix product on the JDK's Vector API ({@code jdk.incubator.vector}), used by
 * {@link Blas} when that module is present. EJML's row-major products run at about 5 GFLOP/s on this workload's
 * shapes (they are scalar loops the JIT vectorises only partly); this kernel keeps a 6 × 2-vector tile of C in
 * registers over packed blocks of A and B (a 4 × 2-vector one over unpacked operands below 8 rows) and reaches 20 to
 * 56 GFLOP/s on one AVX2 core on the same shapes, where OpenBLAS reaches 52 to 70 (measured side by side, README).
 *
 * <p>Computes C (+)= op(A) B where op(A)(i, p) = {@code a[aOff + i * sai + p * sap]} (so both A and Aᵀ are
 * expressed by strides), B is row-major with leading dimension {@code ldb} and C row-major with {@code ldc}. Loop
 * order: column panels of C outside, row blocks inside, so one panel of B stays in L1 while all rows use it; from
 * {@code PACK_ROWS} rows up the panel is first copied to a contiguous buffer in blocks of {@code KC} inner indices and
 * the rows run over it in 6-row tiles. Each C element is a plain sum over p in order with fused multiply-adds, the same
 * whichever path computes it, so results differ from EJML's only by rounding and never depend on the path.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Width of a column panel: two vectors. */
    private static final int NR = 2 * L;
    /** Rows of the packed kernel's register tile: 6 × 2 vectors is 12 accumulators (of 16 AVX2, 32 AVX-512 registers). */
    private static final int MR = 6;
    /** Inner indices per packed block: a block of B is KC × NR floats (16 KB on AVX2), which stays in L1. */
    private static final int KC = 256;
    /** Below this many rows of C, packing B costs more than it saves (each panel would be read once or twice). */
    private static final int PACK_ROWS = 8;
    /** Each thread's packing buffers. */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private VectorGemm() {
    }

    /** @return the width of the preferred float species in bits (256 on AVX2, 512 on AVX-512) */
    static int bits() {
        return S.vectorBitSize();
    }

    static void gemm(int m, int n, int k, float[] a, int aOff, int sai, int sap, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(m, n, k, a, aOff, sai, sap, b, bOff, ldb, null, c, cOff, ldc, accumulate);
    }

    /**
     * B's full {@link #NR}-column panels in the layout the kernel reads, for a B that many products read (weights):
     * panel after panel, each as its k rows of NR floats one after another. The last n mod NR columns are not in it
     * (the products read them from B itself).
     *
     * @param into an array to reuse if it has the right size, or null
     * @return the packed panels
     */
    static float[] pack(float[] b, int bOff, int ldb, int k, int n, float[] into) {
        int jv = n - n % NR;
        float[] out = into != null && into.length == jv * k ? into : new float[jv * k];
        for (int j = 0, dst = 0; j < jv; j += NR) {
            for (int p = 0, src = bOff + j; p < k; p++, src += ldb, dst += NR) {
                System.arraycopy(b, src, out, dst, NR);
            }
        }
        return out;
    }

    /**
     * As {@link #gemm(int, int, int, float[], int, int, int, float[], int, int, float[], int, int, boolean)}, with B's
     * panels already packed by {@link #pack} (or null to pack them here). The sums are the same either way.
     */
    static void gemm(int m, int n, int k, float[] a, int aOff, int sai, int sap, float[] b, int bOff, int ldb,
            float[] prepacked, float[] c, int cOff, int ldc, boolean accumulate) {
        int jv = n - n % NR;
        if (m >= PACK_ROWS && k > 0 && jv > 0) {
            packed(m, jv, k, k, a, aOff, sai, sap, null, 0, 0, b, bOff, ldb, prepacked, c, cOff, ldc, accumulate);
        } else {
            for (int j = 0; j < jv; j += NR) {
                // a prepacked panel is k rows of NR floats in a row: its blocks follow one another
                if (prepacked != null) {
                    fewRows(m, k, a, aOff, sai, sap, prepacked, j * k, NR, c, cOff + j, ldc, accumulate);
                } else {
                    fewRows(m, k, a, aOff, sai, sap, b, bOff + j, ldb, c, cOff + j, ldc, accumulate);
                }
            }
        }
        tail(m, n, jv, k, a, aOff, sai, sap, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * B's panels, as {@link #pack} lays them out, of B1 (k1 × n) stacked over B2 (k2 × n), both row-major with leading
     * dimension n: for {@link #gemmStacked}.
     */
    static float[] packStacked(float[] b1, int k1, float[] b2, int k2, int n, float[] into) {
        int jv = n - n % NR;
        int k = k1 + k2;
        float[] out = into != null && into.length == jv * k ? into : new float[jv * k];
        for (int j = 0, dst = 0; j < jv; j += NR) {
            for (int p = 0, src = j; p < k1; p++, src += n, dst += NR) {
                System.arraycopy(b1, src, out, dst, NR);
            }
            for (int p = 0, src = j; p < k2; p++, src += n, dst += NR) {
                System.arraycopy(b2, src, out, dst, NR);
            }
        }
        return out;
    }

    /**
     * C (+)= [A1 A2] [B1; B2] = A1 B1 + A2 B2 as one product over k1 + k2 inner indices, all row-major (A1 m × k1 with
     * leading dimension lda1, A2 m × k2, B1 k1 × n, B2 k2 × n, C m × n) and the stacked B's panels from
     * {@link #packStacked}: a layer's input and recurrent products in one pass over C. Each element is the in-order
     * fused sum over A1's columns and then A2's, the bits of the product A1 B1 followed by the product A2 B2
     * accumulated into it.
     */
    static void gemmStacked(int m, int n, int k1, float[] a1, int a1Off, int lda1, float[] b1, int k2, float[] a2,
            int a2Off, int lda2, float[] b2, float[] stacked, float[] c, int cOff, int ldc, boolean accumulate) {
        int jv = n - n % NR;
        int k = k1 + k2;
        if (m >= PACK_ROWS && k > 0 && jv > 0) {
            packed(m, jv, k, k1, a1, a1Off, lda1, 1, a2, a2Off, lda2, null, 0, 0, stacked, c, cOff, ldc, accumulate);
        } else {
            for (int j = 0; j < jv; j += NR) {
                fewRows(m, k1, a1, a1Off, lda1, 1, stacked, j * k, NR, c, cOff + j, ldc, accumulate);
                fewRows(m, k2, a2, a2Off, lda2, 1, stacked, j * k + k1 * NR, NR, c, cOff + j, ldc,
                        accumulate || k1 > 0);
            }
        }
        tail(m, n, jv, k1, a1, a1Off, lda1, 1, b1, 0, n, c, cOff, ldc, accumulate);
        tail(m, n, jv, k2, a2, a2Off, lda2, 1, b2, 0, n, c, cOff, ldc, accumulate || k1 > 0);
    }

    /** One NR-column panel of C for few rows, over A in place: 4-row tiles, then single rows. */
    private static void fewRows(int m, int k, float[] a, int aOff, int sai, int sap, float[] b, int bo, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        int i = 0;
        for (; i + 3 < m; i += 4) {
            tile4(k, a, aOff + i * sai, sai, sap, b, bo, ldb, c, cOff + i * ldc, ldc, accumulate);
        }
        for (; i < m; i++) {
            tile1(k, a, aOff + i * sai, sap, b, bo, ldb, c, cOff + i * ldc, accumulate);
        }
    }

    /** The columns [jv, n) of C, fewer than NR: one vector wide where they reach it, then scalar. */
    private static void tail(int m, int n, int jv, int k, float[] a, int aOff, int sai, int sap, float[] b, int bOff,
            int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        int j = jv;
        if (n - j >= L) {
            for (int i = 0; i < m; i++) {
                int c0 = cOff + i * ldc + j;
                FloatVector r = accumulate ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S);
                int a0 = aOff + i * sai;
                int bo = bOff + j;
                for (int p = 0; p < k; p++) {
                    r = FloatVector.broadcast(S, a[a0 + p * sap]).fma(FloatVector.fromArray(S, b, bo), r);
                    bo += ldb;
                }
                r.intoArray(c, c0);
            }
            j += L;
        }
        if (j < n) {
            scalar(m, j, n, k, a, aOff, sai, sap, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    }

    /**
     * The columns [0, jv) of C, jv a multiple of {@link #NR}, through packed blocks. For each block of up to
     * {@link #KC} inner indices, A's rows are copied in 6-row blocks (the six values for one p side by side), and
     * for each NR-column panel that block of B is copied into one contiguous buffer, so the kernel reads both
     * sequentially whatever the strides (large power-of-two strides otherwise map every row of a panel onto the same
     * L1 sets) and one panel of B stays in L1 while every row block runs over it. Between inner blocks the C tile is
     * stored and loaded again, which leaves each element's sum, in order over p, unchanged. Rows past the last full
     * 6-row block: four run as a 4-row tile over A in place (as cheap as the padded block and without its copies); one,
     * two, three or five as one more block padded with zero rows ({@link #edge}), where 1-row tiles, one dependent
     * chain of fused multiply-adds per vector, ran at a fraction of the rate.
     */
    private static void packed(int m, int jv, int k, int k1, float[] a, int aOff, int sai, int sap, float[] a2,
            int a2Off, int lda2, float[] b, int bOff, int ldb, float[] prepacked, float[] c, int cOff, int ldc,
            boolean accumulate) {
        Buffers buf = BUFFERS.get();
        int mb = m - m % MR;
        // four rows left over run as a 4-row tile over A itself (when A is one matrix); other remainders as a
        // zero-padded 6-row block
        int rem = m - mb == 4 && a2 == null ? 0 : m - mb;
        int blocks = mb / MR + (rem > 0 ? 1 : 0);
        float[] pa = buf.a(blocks * MR * Math.min(KC, k));
        float[] pb = prepacked != null ? prepacked : buf.b;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            int ak = aOff + p0 * sap;
            // A's 6-row blocks, each as kc groups of 6 consecutive values (row r of the block at offset r); the last
            // block's missing rows are zeros. Inner indices from k1 on are A2's columns.
            int end = p0 + kc;
            if (p0 < k1) {
                packA(a, aOff, sai, sap, m, blocks, p0, Math.min(end, k1), pa, kc, 0);
            }
            if (end > k1) {
                int from = Math.max(p0, k1);
                packA(a2, a2Off, lda2, 1, m, blocks, from - k1, end - k1, pa, kc, from - p0);
            }
            boolean acc = accumulate || p0 > 0;
            for (int j = 0; j < jv; j += NR) {
                int pbOff;
                if (prepacked != null) {
                    pbOff = j * k + p0 * NR;
                } else {
                    pbOff = 0;
                    int src = bOff + p0 * ldb + j;
                    for (int p = 0, dst = 0; p < kc; p++, dst += NR, src += ldb) {
                        System.arraycopy(b, src, pb, dst, NR);
                    }
                }
                for (int i = 0; i < mb; i += MR) {
                    tile6(kc, pa, i * kc, pb, pbOff, c, cOff + i * ldc + j, ldc, acc);
                }
                if (rem > 0) {
                    edge(rem, kc, pa, mb * kc, pb, pbOff, c, cOff + mb * ldc + j, ldc, acc, buf.edge);
                } else if (mb < m) {
                    tile4(kc, a, ak + mb * sai, sai, sap, pb, pbOff, NR, c, cOff + mb * ldc + j, ldc, acc);
                }
            }
        }
    }

    /**
     * Copies A's columns [from, to) (A(i, p) at {@code a[off + i * sai + p * sap]}, m rows) into {@code blocks}
     * packed 6-row blocks of a kc-wide inner block, from the block's column {@code col}; rows past m are zeros.
     */
    private static void packA(float[] a, int off, int sai, int sap, int m, int blocks, int from, int to, float[] pa,
            int kc, int col) {
        for (int bi = 0; bi < blocks; bi++) {
            int i = bi * MR;
            int rows = Math.min(MR, m - i);
            int at = (bi * kc + col) * MR;
            int src = off + i * sai + from * sap;
            if (rows == MR) {
                for (int p = from; p < to; p++, src += sap) {
                    for (int r = 0, q = src; r < MR; r++, q += sai) {
                        pa[at++] = a[q];
                    }
                }
            } else {
                for (int p = from; p < to; p++, src += sap, at += MR) {
                    for (int r = 0, q = src; r < MR; r++, q += sai) {
                        pa[at + r] = r < rows ? a[q] : 0f;
                    }
                }
            }
        }
    }

    /**
     * The tile of a last, partial block of {@code rows} (fewer than {@link #MR}) rows whose packed A is padded with
     * zero rows: the kernel runs over a scratch tile that holds C's rows (or nothing, when not accumulating), and the
     * real rows are copied back. Each of their elements is the same in-order sum as in a full tile.
     */
    private static void edge(int rows, int kc, float[] pa, int pa0, float[] pb, int pb0, float[] c, int c0, int ldc,
            boolean accumulate, float[] scratch) {
        if (accumulate) {
            Arrays.fill(scratch, rows * NR, MR * NR, 0f);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c, c0 + r * ldc, scratch, r * NR, NR);
            }
        }
        tile6(kc, pa, pa0, pb, pb0, scratch, 0, NR, accumulate);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(scratch, r * NR, c, c0 + r * ldc, NR);
        }
    }

    /**
     * Each thread's packing buffers: one block of B's panel, A's 6-row blocks for one inner block, and a summed
     * product's chunk of B in all its panels (KC × n floats: 2 MB for the 2048 columns of an LSTM at hidden 512),
     * kept for the thread's life.
     */
    private static final class Buffers {
        final float[] b = new float[KC * NR];
        /** The C tile of a partial row block. */
        final float[] edge = new float[MR * NR];
        /** A summed product's chunk: each segment's term, first row and number of rows. */
        final int[] segTerm = new int[KC];
        final int[] segRow = new int[KC];
        final int[] segRows = new int[KC];
        private float[] a = new float[0];
        private float[] sum = new float[0];

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] sum(int size) {
            if (sum.length < size) {
                sum = new float[size];
            }
            return sum;
        }
    }

    /** 6-row blocks of A per pass of a summed product over one packed chunk of B (96 rows, 96 KB of A, in L2). */
    private static final int SUM_BLOCKS = 16;

    /**
     * C (m × n, row-major) += Σ<sub>s</sub> A<sub>s</sub><sup>T</sup> B<sub>s</sub> over the terms in the order given,
     * A<sub>s</sub> ({@code ks[s]} × m, row-major) and B<sub>s</sub> ({@code ks[s]} × n, element (p, j) at
     * {@code bs[s][p * ldb + bCol + j]}, so a block of columns of a wider matrix): the weight gradients of all steps
     * at once. Each element of C is the fused sum over s in order and over each term's rows in order, so the bits
     * are those of {@link #gemm} called for each term in turn with {@code accumulate}. The terms' rows, taken one after
     * another, are cut into chunks of up to {@link #KC} rows (a chunk may span terms); each chunk of B is packed into
     * all its NR-column panels at once, reading B's rows in memory order (packing one panel at a time would touch every
     * row's cache line for each panel, and B, all steps' gate gradients, is larger than the caches), and A is packed
     * in passes of {@link #SUM_BLOCKS} 6-row blocks; each C tile is loaded and stored once per chunk and pass.
     */
    static void gemmSumTransA(int m, int n, float[][] as, float[][] bs, int bCol, int ldb, int[] ks, float[] c) {
        int terms = as.length;
        int jv = n - n % NR;
        if (m < MR || jv == 0) {
            for (int s = 0; s < terms; s++) {
                gemm(m, n, ks[s], as[s], 0, 1, m, bs[s], bCol, ldb, c, 0, n, true);
            }
            return;
        }
        Buffers buf = BUFFERS.get();
        int blocks = (m + MR - 1) / MR;
        float[] pb = buf.sum(KC * jv);
        float[] pa = buf.a(Math.min(blocks, SUM_BLOCKS) * MR * KC);
        int[] segTerm = buf.segTerm;
        int[] segRow = buf.segRow;
        int[] segRows = buf.segRows;
        int s = 0;
        int row = 0;
        while (s < terms) {
            // the chunk: segments of consecutive rows of one term each, KC rows in all or what is left
            int segs = 0;
            int kc = 0;
            while (s < terms && kc < KC) {
                int take = Math.min(KC - kc, ks[s] - row);
                if (take > 0) {
                    segTerm[segs] = s;
                    segRow[segs] = row;
                    segRows[segs] = take;
                    segs++;
                    kc += take;
                    row += take;
                }
                if (row == ks[s]) {
                    s++;
                    row = 0;
                }
            }
            if (kc == 0) {
                break;
            }
            // B: the chunk's rows in order, each row's NR-column pieces into their panels (panel q at q * kc * NR)
            for (int g = 0, r = 0; g < segs; g++) {
                float[] b = bs[segTerm[g]];
                for (int q = 0, src = segRow[g] * ldb + bCol; q < segRows[g]; q++, r++, src += ldb) {
                    for (int j = 0, dst = r * NR; j < jv; j += NR, dst += kc * NR) {
                        System.arraycopy(b, src + j, pb, dst, NR);
                    }
                }
            }
            for (int ib = 0; ib < blocks; ib += SUM_BLOCKS) {
                int nb = Math.min(SUM_BLOCKS, blocks - ib);
                // A's blocks ib .. ib + nb over the chunk's rows, segment after segment (A_s(i, p) at p * m + i)
                for (int g = 0, col = 0; g < segs; col += segRows[g], g++) {
                    packA(as[segTerm[g]], segRow[g] * m + ib * MR, 1, m, m - ib * MR, nb, 0, segRows[g], pa, kc, col);
                }
                for (int j = 0; j < jv; j += NR) {
                    int pbOff = j * kc;
                    for (int bi = 0; bi < nb; bi++) {
                        int i = (ib + bi) * MR;
                        int rows = Math.min(MR, m - i);
                        if (rows == MR) {
                            tile6(kc, pa, bi * kc * MR, pb, pbOff, c, i * n + j, n, true);
                        } else {
                            edge(rows, kc, pa, bi * kc * MR, pb, pbOff, c, i * n + j, n, true, buf.edge);
                        }
                    }
                }
            }
            if (jv < n) {
                for (int g = 0; g < segs; g++) {
                    int t = segTerm[g];
                    gemm(m, n - jv, segRows[g], as[t], segRow[g] * m, 1, m, bs[t], segRow[g] * ldb + bCol + jv, ldb,
                            c, jv, n, true);
                }
            }
        }
    }

    /**
     * A 6 × 2-vector tile of C over packed blocks: {@code kc} groups of 6 values of A from {@code pa[pa0]} and
     * {@code kc} rows of {@link #NR} floats of B from {@code pb[pb0]}.
     */
    private static void tile6(int kc, float[] pa, int pa0, float[] pb, int pb0, float[] c, int c0, int ldc,
            boolean accumulate) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        FloatVector r00;
        FloatVector r01;
        FloatVector r10;
        FloatVector r11;
        FloatVector r20;
        FloatVector r21;
        FloatVector r30;
        FloatVector r31;
        FloatVector r40;
        FloatVector r41;
        FloatVector r50;
        FloatVector r51;
        if (accumulate) {
            r00 = FloatVector.fromArray(S, c, c0);
            r01 = FloatVector.fromArray(S, c, c0 + L);
            r10 = FloatVector.fromArray(S, c, c1);
            r11 = FloatVector.fromArray(S, c, c1 + L);
            r20 = FloatVector.fromArray(S, c, c2);
            r21 = FloatVector.fromArray(S, c, c2 + L);
            r30 = FloatVector.fromArray(S, c, c3);
            r31 = FloatVector.fromArray(S, c, c3 + L);
            r40 = FloatVector.fromArray(S, c, c4);
            r41 = FloatVector.fromArray(S, c, c4 + L);
            r50 = FloatVector.fromArray(S, c, c5);
            r51 = FloatVector.fromArray(S, c, c5 + L);
        } else {
            r00 = FloatVector.zero(S);
            r01 = r00;
            r10 = r00;
            r11 = r00;
            r20 = r00;
            r21 = r00;
            r30 = r00;
            r31 = r00;
            r40 = r00;
            r41 = r00;
            r50 = r00;
            r51 = r00;
        }
        for (int p = 0; p < kc; p++) {
            int bo = pb0 + p * NR;
            int ao = pa0 + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo);
            FloatVector b1 = FloatVector.fromArray(S, pb, bo + L);
            FloatVector x = FloatVector.broadcast(S, pa[ao]);
            r00 = x.fma(b0, r00);
            r01 = x.fma(b1, r01);
            x = FloatVector.broadcast(S, pa[ao + 1]);
            r10 = x.fma(b0, r10);
            r11 = x.fma(b1, r11);
            x = FloatVector.broadcast(S, pa[ao + 2]);
            r20 = x.fma(b0, r20);
            r21 = x.fma(b1, r21);
            x = FloatVector.broadcast(S, pa[ao + 3]);
            r30 = x.fma(b0, r30);
            r31 = x.fma(b1, r31);
            x = FloatVector.broadcast(S, pa[ao + 4]);
            r40 = x.fma(b0, r40);
            r41 = x.fma(b1, r41);
            x = FloatVector.broadcast(S, pa[ao + 5]);
            r50 = x.fma(b0, r50);
            r51 = x.fma(b1, r51);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + L);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + L);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + L);
        r40.intoArray(c, c4);
        r41.intoArray(c, c4 + L);
        r50.intoArray(c, c5);
        r51.intoArray(c, c5 + L);
    }

    private static void tile4(int k, float[] a, int a0, int sai, int sap, float[] b, int bo, int ldb, float[] c,
            int c0, int ldc, boolean accumulate) {
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector r00;
        FloatVector r01;
        FloatVector r10;
        FloatVector r11;
        FloatVector r20;
        FloatVector r21;
        FloatVector r30;
        FloatVector r31;
        if (accumulate) {
            r00 = FloatVector.fromArray(S, c, c0);
            r01 = FloatVector.fromArray(S, c, c0 + L);
            r10 = FloatVector.fromArray(S, c, c1);
            r11 = FloatVector.fromArray(S, c, c1 + L);
            r20 = FloatVector.fromArray(S, c, c2);
            r21 = FloatVector.fromArray(S, c, c2 + L);
            r30 = FloatVector.fromArray(S, c, c3);
            r31 = FloatVector.fromArray(S, c, c3 + L);
        } else {
            r00 = FloatVector.zero(S);
            r01 = r00;
            r10 = r00;
            r11 = r00;
            r20 = r00;
            r21 = r00;
            r30 = r00;
            r31 = r00;
        }
        int a1 = a0 + sai;
        int a2 = a1 + sai;
        int a3 = a2 + sai;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            bo += ldb;
            int q = p * sap;
            FloatVector x = FloatVector.broadcast(S, a[a0 + q]);
            r00 = x.fma(b0, r00);
            r01 = x.fma(b1, r01);
            x = FloatVector.broadcast(S, a[a1 + q]);
            r10 = x.fma(b0, r10);
            r11 = x.fma(b1, r11);
            x = FloatVector.broadcast(S, a[a2 + q]);
            r20 = x.fma(b0, r20);
            r21 = x.fma(b1, r21);
            x = FloatVector.broadcast(S, a[a3 + q]);
            r30 = x.fma(b0, r30);
            r31 = x.fma(b1, r31);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + L);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + L);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + L);
    }

    private static void tile1(int k, float[] a, int a0, int sap, float[] b, int bo, int ldb, float[] c, int c0,
            boolean accumulate) {
        FloatVector r0 = accumulate ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S);
        FloatVector r1 = accumulate ? FloatVector.fromArray(S, c, c0 + L) : FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + p * sap]);
            r0 = x.fma(FloatVector.fromArray(S, b, bo), r0);
            r1 = x.fma(FloatVector.fromArray(S, b, bo + L), r1);
            bo += ldb;
        }
        r0.intoArray(c, c0);
        r1.intoArray(c, c0 + L);
    }

    private static void scalar(int m, int j0, int n, int k, float[] a, int aOff, int sai, int sap, float[] b,
            int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = j0; j < n; j++) {
                float s = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a[aOff + i * sai + p * sap], b[bOff + p * ldb + j], s);
                }
                c[cOff + i * ldc + j] = s;
            }
        }
    }
}
