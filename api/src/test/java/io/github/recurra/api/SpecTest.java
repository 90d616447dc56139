package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Clipping;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SpecTest {

    static Network lstmNet(int hidden) {
        return Network.builder(28).layer(Sequence.of(LstmCell.builder(hidden).peepholes(true).build()))
                .head(Head.classifier(10)).build();
    }

    @Test
    void canonicalShapesFollowTheOnnxLayout() {
        Network n = Network.builder(5)
                .layer(Sequence.builder(GruCell.of(7)).returnSequences(true).build())
                .layer(Sequence.of(LstmCell.builder(3).peepholes(true).build()))
                .head(Head.classifier(4)).build();
        var s = Parameters.shapesOf(n);
        assertEquals("[1, 21, 5]", Arrays.toString(s.get("layer0.W")));
        assertEquals("[1, 21, 7]", Arrays.toString(s.get("layer0.R")));
        assertEquals("[1, 42]", Arrays.toString(s.get("layer0.B")));
        assertEquals("[1, 12, 7]", Arrays.toString(s.get("layer1.W")));
        assertEquals("[1, 9]", Arrays.toString(s.get("layer1.P")));
        assertEquals("[4, 3]", Arrays.toString(s.get("head.W")));
    }

    @Test
    void sameSeedSameWeightsAndForgetBias() {
        Network n = lstmNet(16);
        Parameters a = Initialization.defaults().initialize(n, 42);
        Parameters b = Initialization.defaults().initialize(n, 42);
        Parameters c = Initialization.defaults().initialize(n, 43);
        for (String name : a.names()) {
            assertTrue(Arrays.equals(a.get(name).data(), b.get(name).data()), name);
        }
        assertNotEquals(Arrays.toString(a.get("layer0.W").data()), Arrays.toString(c.get("layer0.W").data()));
        float[] bias = a.get("layer0.B").data();
        for (int j = 0; j < 64; j++) {
            // i o f c: only the forget block of the input bias starts at 1
            assertEquals(j >= 32 && j < 48 ? 1f : 0f, bias[j], "Wb[" + j + "]");
            assertEquals(0f, bias[64 + j], "Rb[" + j + "]");
        }
        float limit = (float) Math.sqrt(6.0 / (28 + 64));
        for (float w : a.get("layer0.W").data()) {
            assertTrue(Math.abs(w) <= limit);
        }
    }

    @Test
    void recurrentWeightsHaveOrthonormalColumns() {
        Parameters p = Initialization.defaults().initialize(lstmNet(8), 3);
        float[] r = p.get("layer0.R").data(); // [32, 8]
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double dot = 0;
                for (int k = 0; k < 32; k++) {
                    dot += r[k * 8 + i] * r[k * 8 + j];
                }
                assertEquals(i == j ? 1.0 : 0.0, dot, 1e-5, "column " + i + " . column " + j);
            }
        }
    }

    @Test
    void buildersValidate() {
        assertThrows(IllegalArgumentException.class, () -> LstmCell.of(0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GruCell.builder(4).clip(-1f).build())
                .getMessage().contains("-1.0"));
        assertThrows(IllegalArgumentException.class, () -> Activation.of(Activation.Kind.AFFINE));
        IllegalArgumentException stack = assertThrows(IllegalArgumentException.class,
                () -> Network.builder(3).layer(Sequence.of(RnnCell.of(4))).layer(Sequence.of(RnnCell.of(4))).build());
        assertTrue(stack.getMessage().contains("returnSequences(true)"), stack.getMessage());
        IllegalArgumentException head = assertThrows(IllegalArgumentException.class,
                () -> Network.builder(3).layer(Sequence.builder(RnnCell.of(4)).returnSequences(true).build())
                        .head(Head.classifier(3)).build());
        assertTrue(head.getMessage().contains("last step"), head.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Network.builder(3).build());
        assertThrows(IllegalArgumentException.class, () -> Head.classifier(1));
    }

    @Test
    void lastStepDefaultsToTheFinalStatesAndCountsInEquality() {
        Sequence plain = Sequence.builder(GruCell.of(4)).direction(Direction.BIDIRECTIONAL).build();
        Sequence lastIndex = Sequence.builder(GruCell.of(4)).direction(Direction.BIDIRECTIONAL)
                .lastStep(LastStep.LAST_TIME_INDEX).build();
        assertEquals(LastStep.FINAL_STATES, plain.lastStep());
        assertEquals(LastStep.FINAL_STATES, Sequence.builder(GruCell.of(4)).returnSequences(true).build().lastStep());
        assertEquals(LastStep.LAST_TIME_INDEX, lastIndex.lastStep());
        assertEquals(plain, Sequence.builder(GruCell.of(4)).direction(Direction.BIDIRECTIONAL)
                .lastStep(LastStep.FINAL_STATES).build());
        assertNotEquals(plain, lastIndex);
        assertNotEquals(plain.hashCode(), lastIndex.hashCode());
        assertTrue(!plain.toString().contains("LAST_TIME_INDEX") && !plain.toString().contains("FINAL_STATES"),
                "the default is not shown: " + plain);
        assertTrue(lastIndex.toString().contains("last step=LAST_TIME_INDEX"), lastIndex.toString());
        assertEquals(2 * 4, Sequence.builder(GruCell.of(4)).direction(Direction.BIDIRECTIONAL)
                .mergeMode(MergeMode.CONCAT).lastStep(LastStep.LAST_TIME_INDEX).build().outputSize());
    }

    @Test
    void lastTimeIndexNeedsASequenceThatReturnsItsLastStep() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sequence.builder(RnnCell.of(3))
                .returnSequences(true).lastStep(LastStep.LAST_TIME_INDEX).build());
        assertTrue(e.getMessage().contains("LAST_TIME_INDEX") && e.getMessage().contains("returnSequences(true)")
                && e.getMessage().contains("returnSequences(false)"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Sequence.builder(RnnCell.of(3)).lastStep(null));
    }

    @Test
    void parameterLayoutMismatchIsNamed() {
        Network n = lstmNet(4);
        Parameters p = Initialization.defaults().initialize(n, 1);
        p.put("layer0.R", Tensor.zeros(1, 16, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.checkMatches(n));
        assertTrue(e.getMessage().contains("layer0.R") && e.getMessage().contains("[1, 16, 4]"), e.getMessage());
    }

    @Test
    void clippingByGlobalNormScalesToTheLimit() {
        Parameters g = Parameters.empty().put("a", Tensor.of(new float[] {3, 0}, 2))
                .put("b", Tensor.of(new float[] {4}, 1));
        double norm = Clipping.globalNorm(1.0).apply(g);
        assertEquals(5.0, norm, 1e-12);
        assertEquals(0.6f, g.get("a").get(0), 1e-7);
        assertEquals(0.8f, g.get("b").get(0), 1e-7);
        Parameters small = Parameters.empty().put("a", Tensor.of(new float[] {0.3f, 0.4f}, 2));
        Clipping.globalNorm(1.0).apply(small);
        assertEquals(0.3f, small.get("a").get(0));
    }

    @Test
    void activationsMatchTheirOnnxFormulas() {
        assertEquals(Math.tanh(0.3), Activation.tanh().apply(0.3f), 1e-7);
        assertEquals(1 / (1 + Math.exp(-0.7)), Activation.sigmoid().apply(0.7f), 1e-7);
        assertEquals(0.3 * 0.5 + 0.4, Activation.hardSigmoid(0.3f, 0.4f).apply(0.5f), 1e-7);
        assertEquals(1.5 * Math.tanh(0.7 * 2), Activation.scaledTanh(1.5f, 0.7f).apply(2f), 1e-6);
        assertEquals(0.8 * Math.expm1(-1), Activation.elu(0.8f).apply(-1f), 1e-7);
        assertEquals(Math.log1p(Math.exp(0.2)), Activation.softplus().apply(0.2f), 1e-7);
        assertEquals(-0.5 / 1.5, Activation.softsign().apply(-0.5f), 1e-7);
        assertEquals(0f, Activation.thresholdedRelu(1f).apply(0.9f));
        assertEquals(-0.02f, Activation.leakyRelu(0.01f).apply(-2f), 1e-9);
    }

    @Test
    void activationsFromOnnxNamesAndParameters() {
        assertEquals(Activation.hardSigmoid(0.3f, 0.4f),
                Activation.of(Activation.Kind.ofOnnxName("hardsigmoid"), 0.3f, 0.4f));
        assertEquals(Activation.softsign(), Activation.of(Activation.Kind.ofOnnxName("Softsign"), Float.NaN, Float.NaN));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Activation.Kind.ofOnnxName("Swish"));
        assertTrue(unknown.getMessage().contains("'Swish'") && unknown.getMessage().contains("ThresholdedRelu"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Activation.of(Activation.Kind.AFFINE, Float.NaN, 1f));
    }

    @Test
    void stepsCutAndJoinSequencesAlongTime() {
        // [2, 3, 2]: example 0 steps (0,1) (2,3) (4,5); example 1 steps (6,7) (8,9) (10,11)
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 3, 2);
        Tensor middle = x.steps(1, 2);
        assertEquals("[2, 2, 2]", middle.shapeString());
        assertTrue(Arrays.equals(new float[] {2, 3, 4, 5, 8, 9, 10, 11}, middle.data()));
        Tensor joined = Tensor.concatSteps(java.util.List.of(x.steps(0, 1), middle));
        assertTrue(Arrays.equals(x.data(), joined.data()));
        assertThrows(IllegalArgumentException.class, () -> x.steps(2, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).steps(0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.concatSteps(java.util.List.of(x, Tensor.zeros(3, 1, 2))));
    }
}
