package io.github.recurra.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A register-tiled float32 matrix product on the JDK's Vector API ({@code jdk.incubator.vector}), used by
 * {@link Blas} when that module is present. EJML's row-major products run at about 5 GFLOP/s on this workload's
 * shapes (they are scalar loops the JIT vectorises only partly); this kernel keeps a 4 × 2-vector tile of C in
 * registers across the whole inner dimension and reaches 50 to 100 GFLOP/s on the same shapes (AVX-512, measured
 * with {@code recurra bench}).
 *
 * <p>Computes C (+)= op(A) B where op(A)(i, p) = {@code a[aOff + i * sai + p * sap]} (so both A and Aᵀ are
 * expressed by strides), B is row-major with leading dimension {@code ldb} and C row-major with {@code ldc}. Loop
 * order: column tiles of C outside, row blocks inside, so one k × 2L panel of B stays in L1 while all rows use it.
 * Each C element is a plain sum over p in order with fused multiply-adds, so results differ from EJML's only by
 * rounding.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorGemm() {
    }

    /** @return the width of the preferred float species in bits (256 on AVX2, 512 on AVX-512) */
    static int bits() {
        return S.vectorBitSize();
    }

    static void gemm(int m, int n, int k, float[] a, int aOff, int sai, int sap, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        int jv = n - n % (2 * L);
        for (int j = 0; j < jv; j += 2 * L) {
            int i = 0;
            for (; i + 3 < m; i += 4) {
                tile4(k, a, aOff + i * sai, sai, sap, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, accumulate);
            }
            for (; i < m; i++) {
                tile1(k, a, aOff + i * sai, sap, b, bOff + j, ldb, c, cOff + i * ldc + j, accumulate);
            }
        }
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
