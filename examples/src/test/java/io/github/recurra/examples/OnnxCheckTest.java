package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.train.Trainer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The agreement check of the mnist demo's --export, and its number format. */
class OnnxCheckTest {
    private static final int N = 23;

    private static Dataset data(Tensor x, long seed) {
        Random r = new Random(seed);
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = r.nextInt(3);
        }
        return Dataset.of(x.data(), labels, x.dim(1), x.dim(2), 3);
    }

    @Test
    void identicalModelsAgreeExactlyAndAccuraciesAreTheEvaluatorsOnes() {
        Network net = TestModels.all().get("stacked_bidirectional_classifier");
        Parameters p = TestModels.parameters(net, 1);
        Dataset d = data(TestModels.inputs(N, 5, 2), 3);
        try (Backend cpu = Backends.named("cpu"); Model a = cpu.compile(net, p); Model b = cpu.compile(net, p)) {
            OnnxCheck c = OnnxCheck.compare(a, b, d, 4);
            assertEquals(0.0, c.largestDifference());
            double acc = Trainer.evaluate(a, d, 7).accuracy();
            assertEquals(acc, c.referenceAccuracy());
            assertEquals(acc, c.candidateAccuracy());
            assertEquals(String.format(java.util.Locale.ROOT, "ONNX check: accuracy cpu %.4f, cpu %.4f, largest logit "
                    + "difference 0 (23 images)", acc, acc), c.line());
            c.requireAgreement();
        }
    }

    @Test
    void differentParametersAreCaughtWithTheLargestDifference() {
        Network net = TestModels.all().get("stacked_bidirectional_classifier");
        Parameters p = TestModels.parameters(net, 1);
        Parameters q = p.copy();
        q.get(Parameters.HEAD_B).data()[2] += 0.25f;   // one logit of every example moves by exactly 0.25
        Dataset d = data(TestModels.inputs(N, 5, 2), 3);
        try (Backend cpu = Backends.named("cpu"); Model a = cpu.compile(net, p); Model b = cpu.compile(net, q)) {
            OnnxCheck c = OnnxCheck.compare(a, b, d, 5);
            assertEquals(0.25, c.largestDifference(), 1e-6);
            IllegalStateException e = assertThrows(IllegalStateException.class, c::requireAgreement);
            assertTrue(e.getMessage().contains("up to 2.5e-1 away")
                    && e.getMessage().contains("more than the 1.0e-3 allowed"), e.getMessage());
        }
    }

    @Test
    void nanDifferencesFailTheCheck() {
        OnnxCheck c = new OnnxCheck(10, "cpu", 0.5, "onnx", 0.5, Double.NaN);
        assertTrue(c.line().contains("largest logit difference NaN"), c.line());
        assertThrows(IllegalStateException.class, c::requireAgreement);
    }

    @Test
    void scientificNotationIsShort() {
        assertEquals("2.4e-7", Cli.sci(2.4e-7));
        assertEquals("0", Cli.sci(0));
        assertEquals("1.5e-3", Cli.sci(0.0015));
        assertEquals("1.2e1", Cli.sci(12.0));
        assertEquals("1.0e-12", Cli.sci(1e-12));
        assertEquals("NaN", Cli.sci(Double.NaN));
    }
}
