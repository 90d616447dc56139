package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import java.util.Random;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Vector API products against EJML's (an implementation we did not write), on shapes that exercise the register
 * tiles, the single-vector and the scalar tails; and whole networks with the SIMD path on and off.
 */
class BlasTest {
    private final boolean initial = Blas.simd;

    @AfterEach
    void restore() {
        Blas.simd = initial;
    }

    static FMatrixRMaj random(int r, int c, Random rnd) {
        FMatrixRMaj m = new FMatrixRMaj(r, c);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = (float) rnd.nextGaussian();
        }
        return m;
    }

    @Test
    void simdIsAvailableInTheTestJvm() {
        assertTrue(initial, "the tests run with --add-modules jdk.incubator.vector, so the SIMD path must be active");
    }

    @Test
    void productsEqualEjml() {
        Random rnd = new Random(3);
        int[][] shapes = {{1, 1, 1}, {4, 7, 32}, {5, 3, 33}, {64, 128, 512}, {3, 9, 47}, {13, 17, 16}, {7, 64, 100}};
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            FMatrixRMaj a = random(m, k, rnd);
            FMatrixRMaj b = random(k, n, rnd);
            FMatrixRMaj c0 = random(m, n, rnd);
            FMatrixRMaj at = random(k, m, rnd);
            FMatrixRMaj want = new FMatrixRMaj(m, n);
            FMatrixRMaj got = new FMatrixRMaj(m, n);
            float tol = 1e-5f * k;
            CommonOps_FDRM.mult(a, b, want);
            Blas.simd = true;
            Blas.mult(a, b, got);
            assertArrayEquals(want.data, got.data, tol, "mult " + m + "x" + k + "x" + n);
            want.setTo(c0);
            got.setTo(c0);
            CommonOps_FDRM.multAdd(a, b, want);
            Blas.multAdd(a, b, got);
            assertArrayEquals(want.data, got.data, tol, "multAdd " + m + "x" + k + "x" + n);
            want.setTo(c0);
            got.setTo(c0);
            CommonOps_FDRM.multAddTransA(at, b, want);
            Blas.multAddTransA(at, b, got);
            assertArrayEquals(want.data, got.data, tol, "multAddTransA " + m + "x" + k + "x" + n);
        }
    }

    /**
     * Every path of the Vector API product (unpacked below 8 rows; packed 6-row tiles with 4-row and 1-row remainders;
     * inner dimensions over one 256-index block; the one-vector and scalar column tails; Aᵀ by strides; overwrite and
     * accumulate) computes each element as the plain in-order sum with fused multiply-adds, so bit for bit what the
     * definition below gives, whatever path or block the element falls in.
     */
    @Test
    void everyPathIsTheInOrderFusedSum() {
        Random rnd = new Random(11);
        int[][] shapes = {{1, 300, 40}, {7, 5, 33}, {8, 9, 16}, {13, 257, 40}, {64, 512, 128}, {64, 600, 72},
                {23, 1030, 17}, {128, 64, 512}};
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            for (boolean transposed : new boolean[] {false, true}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] a = random(m, k, rnd).data;
                    float[] b = random(k, n, rnd).data;
                    float[] c = random(m, n, rnd).data;
                    int sai = transposed ? 1 : k;
                    int sap = transposed ? m : 1;
                    float[] want = c.clone();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            float sum = accumulate ? want[i * n + j] : 0f;
                            for (int p = 0; p < k; p++) {
                                sum = Math.fma(a[i * sai + p * sap], b[p * n + j], sum);
                            }
                            want[i * n + j] = sum;
                        }
                    }
                    float[] c2 = c.clone();
                    VectorGemm.gemm(m, n, k, a, 0, sai, sap, b, 0, n, c, 0, n, accumulate);
                    String what = m + "x" + k + " · " + k + "x" + n + (transposed ? " (Aᵀ)" : "")
                            + (accumulate ? ", accumulating" : "");
                    assertArrayEquals(want, c, what);
                    // the same with B's panels packed beforehand, as the kernels do for their weights
                    VectorGemm.gemm(m, n, k, a, 0, sai, sap, b, 0, n, VectorGemm.pack(b, 0, n, k, n, null), c2, 0, n,
                            accumulate);
                    assertArrayEquals(want, c2, what + ", B packed beforehand");
                }
            }
        }
    }

    /**
     * The stacked product [A1 A2] [B1; B2] (a layer's input and recurrent products in one) is, element by element, the
     * in-order fused sum over A1's columns and then A2's, on every path: few rows, 6-row tiles with each remainder,
     * an inner block boundary inside A1, inside A2 or at the seam, and the column tail.
     */
    @Test
    void stackedProductIsTheInOrderFusedSum() {
        Random rnd = new Random(31);
        int[][] shapes = {{1, 28, 128, 512}, {5, 3, 40, 23}, {8, 28, 256, 64}, {13, 300, 17, 40}, {64, 28, 512, 2048},
            {23, 0, 33, 48}, {16, 256, 256, 30}, {10, 5, 0, 16}};
        for (int[] sh : shapes) {
            int m = sh[0];
            int k1 = sh[1];
            int k2 = sh[2];
            int n = sh[3];
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] a1 = random(m, k1, rnd).data;
                float[] a2 = random(m, k2, rnd).data;
                float[] b1 = random(k1, n, rnd).data;
                float[] b2 = random(k2, n, rnd).data;
                float[] c = random(m, n, rnd).data;
                float[] want = c.clone();
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        float sum = accumulate ? want[i * n + j] : 0f;
                        for (int p = 0; p < k1; p++) {
                            sum = Math.fma(a1[i * k1 + p], b1[p * n + j], sum);
                        }
                        for (int p = 0; p < k2; p++) {
                            sum = Math.fma(a2[i * k2 + p], b2[p * n + j], sum);
                        }
                        want[i * n + j] = sum;
                    }
                }
                VectorGemm.gemmStacked(m, n, k1, a1, 0, k1, b1, k2, a2, 0, k2, b2,
                        VectorGemm.packStacked(b1, k1, b2, k2, n, null), c, 0, n, accumulate);
                assertArrayEquals(want, c, "[" + m + "x" + k1 + " " + m + "x" + k2 + "] · [" + k1 + "x" + n + "; "
                        + k2 + "x" + n + "]" + (accumulate ? ", accumulating" : ""));
            }
        }
    }

    /**
     * The summed product of the weight gradients (C += Σ A_sᵀ B_s over the steps) is, element by element, the in-order
     * fused sum over the terms and their rows: the bits of one product per term in turn, whatever the chunking (a chunk
     * boundary falls inside the terms here, and a term of no rows is among them), the 6-row tiles, the padded
     * remainder blocks or the column tail; B is a block of columns of a wider matrix in half of the cases.
     */
    @Test
    void summedProductsAreTheInOrderFusedSum() {
        Random rnd = new Random(23);
        int[][] shapes = {{5, 16}, {28, 512}, {128, 40}, {13, 33}, {23, 48}};
        int[] ks = {3, 64, 1, 17, 0, 3000, 1200, 64};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            int bCol = m % 2 == 0 ? 0 : 5;
            int ldb = m % 2 == 0 ? n : n + 11;
            float[][] as = new float[ks.length][];
            float[][] bs = new float[ks.length][];
            for (int t = 0; t < ks.length; t++) {
                as[t] = random(ks[t], m, rnd).data;
                bs[t] = random(ks[t], ldb, rnd).data;
            }
            float[] c = random(m, n, rnd).data;
            float[] want = c.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float sum = want[i * n + j];
                    for (int t = 0; t < ks.length; t++) {
                        for (int p = 0; p < ks[t]; p++) {
                            sum = Math.fma(as[t][p * m + i], bs[t][p * ldb + bCol + j], sum);
                        }
                    }
                    want[i * n + j] = sum;
                }
            }
            VectorGemm.gemmSumTransA(m, n, as, bs, bCol, ldb, ks, c);
            assertArrayEquals(want, c, "Σ Aᵀ B into " + m + "x" + n);
        }
    }

    /**
     * A whole stack of LSTM, GRU (both reset modes) and RNN layers trained with the weight gradients summed over all
     * steps or step by step, with rows of different lengths: the same bits.
     */
    @Test
    void weightGradientsSummedOverStepsGiveTheSameBits() {
        Network net = Network.builder(5).layer(Sequence.builder(LstmCell.of(40)).returnSequences(true).build())
                .layer(Sequence.builder(GruCell.builder(24).linearBeforeReset(true).build()).returnSequences(true)
                        .build())
                .layer(Sequence.builder(GruCell.of(19)).direction(io.github.recurra.api.model.Direction.BIDIRECTIONAL)
                        .returnSequences(true).build())
                .layer(Sequence.builder(RnnCell.of(37)).direction(io.github.recurra.api.model.Direction.BIDIRECTIONAL)
                        .build()).head(Head.classifier(3)).build();
        Parameters p = Initialization.defaults().initialize(net, 4);
        int[] lengths = {6, 2, 5, 1, 6, 3, 4, 6, 2};
        Batch batch = new Batch(CpuModelTest.randomInputs(9, 6, 5, 2), new int[9], null, lengths);
        int threshold = Kernel.sumOverStepsElements;
        LossAndGradients[] lg = new LossAndGradients[2];
        try {
            for (int run = 0; run < 2; run++) {
                Kernel.sumOverStepsElements = run == 0 ? Integer.MAX_VALUE : 1;
                try (Backend backend = new CpuBackend(2); Model m = backend.compile(net, p)) {
                    lg[run] = m.lossAndGradients(batch, null, 7L);
                }
            }
        } finally {
            Kernel.sumOverStepsElements = threshold;
        }
        assertEquals(lg[0].loss(), lg[1].loss(), 0.0);
        for (String name : p.names()) {
            assertArrayEquals(lg[0].gradients().get(name).data(), lg[1].gradients().get(name).data(), name);
        }
    }

    @Test
    void networksGiveTheSameResultsWithAndWithoutSimd() {
        for (Network net : new Network[] {
            Network.builder(29).layer(Sequence.builder(LstmCell.builder(37).peepholes(true).build())
                    .returnSequences(true).build()).layer(Sequence.of(GruCell.of(40))).head(Head.classifier(10)).build(),
            Network.builder(20).layer(Sequence.of(GruCell.builder(48).linearBeforeReset(true).build()))
                    .head(Head.classifier(10)).build(),
            Network.builder(20).layer(Sequence.of(RnnCell.of(64))).head(Head.classifier(10)).build(),
            Network.builder(20).layer(Sequence.builder(RnnCell.builder(35).activation(
                    io.github.recurra.api.cell.Activation.relu()).clip(0.7f).build()).returnSequences(true).build())
                    .layer(Sequence.of(LstmCell.builder(33).coupledInputForget(true).clip(0.9f).peepholes(true).build()))
                    .head(Head.classifier(10)).build(),
            Network.builder(20).layer(Sequence.of(GruCell.builder(40).clip(0.6f).build()))
                    .head(Head.classifier(10)).build()}) {
            Parameters p = Initialization.defaults().initialize(net, 8);
            Batch batch = new Batch(CpuModelTest.randomInputs(33, 6, net.inputSize(), 4), new int[33]);
            Blas.simd = false;
            LossAndGradients ref;
            float[] refLogits;
            try (Backend backend = new CpuBackend(2); Model m = backend.compile(net, p)) {
                ref = m.lossAndGradients(batch);
                refLogits = m.forward(batch.inputs()).logits().data();
            }
            Blas.simd = true;
            try (Backend backend = new CpuBackend(2); Model m = backend.compile(net, p)) {
                LossAndGradients got = m.lossAndGradients(batch);
                assertArrayEquals(refLogits, m.forward(batch.inputs()).logits().data(), 2e-5f);
                assertEquals(ref.loss(), got.loss(), 1e-5);
                for (String name : p.names()) {
                    float[] w = ref.gradients().get(name).data();
                    float[] g = got.gradients().get(name).data();
                    for (int i = 0; i < w.length; i++) {
                        assertEquals(w[i], g[i], 1e-5 + 1e-3 * Math.abs(w[i]), name + "[" + i + "]");
                    }
                }
            }
        }
    }
}
