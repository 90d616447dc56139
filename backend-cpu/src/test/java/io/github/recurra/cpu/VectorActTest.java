package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.Activation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vectorised activations against the JDK's double-precision math, over the whole useful range. */
class VectorActTest {

    @Test
    void activationsAreAccurate() {
        int n = 200_003;
        float[] x = new float[n];
        Random r = new Random(5);
        for (int i = 0; i < n; i++) {
            x[i] = i < 1000 ? (i - 500) * 1e-4f : (float) (r.nextGaussian() * (i % 3 == 0 ? 30 : 3));
        }
        x[0] = 100f;
        x[1] = -100f;
        x[2] = 0f;
        float[] y = new float[n];
        int done = VectorAct.forward(Activation.sigmoid(), Float.POSITIVE_INFINITY, x, 0, y, 0, n);
        assertTrue(done > n - 16);
        double worstSig = 0;
        for (int i = 0; i < done; i++) {
            worstSig = Math.max(worstSig, Math.abs(y[i] - 1 / (1 + Math.exp(-x[i]))));
        }
        VectorAct.forward(Activation.tanh(), Float.POSITIVE_INFINITY, x, 0, y, 0, n);
        double worstTanh = 0;
        double worstTanhRel = 0;
        for (int i = 0; i < done; i++) {
            double want = Math.tanh(x[i]);
            worstTanh = Math.max(worstTanh, Math.abs(y[i] - want));
            if (Math.abs(want) > 1e-30) {
                worstTanhRel = Math.max(worstTanhRel, Math.abs(y[i] - want) / Math.abs(want));
            }
        }
        assertTrue(worstSig < 1.5e-7, "sigmoid error " + worstSig);
        assertTrue(worstTanh < 1.2e-7, "tanh error " + worstTanh);
        assertTrue(worstTanhRel < 5e-7, "tanh relative error " + worstTanhRel);
        assertEquals(1f, y[0]);
        assertEquals(-1f, y[1]);
        assertEquals(0f, y[2]);
    }

    @Test
    void expIsWithinTwoUlp() {
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = -87f + 175f * i / x.length;
        }
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += 16) {
            VectorAct.exp(jdk.incubator.vector.FloatVector.fromArray(jdk.incubator.vector.FloatVector.SPECIES_512,
                    x, i)).intoArray(y, i);
        }
        for (int i = 0; i < x.length; i++) {
            double want = Math.exp(x[i]);
            assertTrue(Math.abs(y[i] - want) <= 2 * Math.ulp((float) want), "exp(" + x[i] + ") = " + y[i]
                    + " but " + want);
        }
    }
}
