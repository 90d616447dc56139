package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input: every backend rejects the same malformed inputs with the same kind of error, the
 * {@link IllegalArgumentException} the SPI documents, with a message, and loses nothing: afterwards the model computes
 * bit for bit what it computed before. Covered: inputs of the wrong rank or width, NaN or infinite values, lengths of
 * the wrong count or out of range, labels of the wrong count or out of range, regression targets of the wrong shape
 * or non-finite, initial states of the wrong count, shape or value, and parameters that do not match the network.
 */
@ConformanceArea("bad input")
public abstract class BadInputConformance extends ConformanceBase {
    private static final int B = 3;
    private static final int T = 4;
    private static final int I = 2;
    private static final int H = 5;
    private static final Network CLASSIFIER = Network.builder(I).layer(Sequence.of(LstmCell.of(H)))
            .head(Head.classifier(3)).build();
    private static final Network REGRESSOR = Network.builder(I).layer(Sequence.of(LstmCell.of(H)))
            .head(Head.of(2, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build();

    /**
     * @param under the backend under test
     */
    protected BadInputConformance(BackendUnderTest under) {
        super(under);
    }

    private static Tensor inputs(int b, int t, int f) {
        float[] x = new float[b * t * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(i);
        }
        return Tensor.wrap(x, b, t, f);
    }

    private static Tensor withValue(float v) {
        Tensor x = inputs(B, T, I);
        x.data()[5] = v;
        return x;
    }

    private static States states(int layers, int b, int h, float value) {
        List<Tensor> hs = new ArrayList<>();
        List<Tensor> cs = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            Tensor s = Tensor.zeros(1, b, h);
            s.data()[0] = value;
            hs.add(s);
            cs.add(Tensor.zeros(1, b, h));
        }
        return new States(hs, cs);
    }

    /** A bad call on a model of {@link #CLASSIFIER} or {@link #REGRESSOR}, and what it needs. */
    private record Bad(Network network, Set<Capability> needs, Consumer<Model> call) {
    }

    private static Arguments bad(String name, Network net, Set<Capability> needs, Consumer<Model> call) {
        return Arguments.of(name, new Bad(net, needs, call));
    }

    static List<Arguments> cases() {
        Set<Capability> none = EnumSet.noneOf(Capability.class);
        Set<Capability> lengths = EnumSet.of(Capability.SEQUENCE_LENGTHS);
        Set<Capability> train = EnumSet.of(Capability.TRAINING);
        Set<Capability> regression = EnumSet.of(Capability.TRAINING, Capability.REGRESSION_LOSS);
        Set<Capability> initial = EnumSet.of(Capability.INITIAL_STATES);
        int[] labels = {0, 1, 2};
        return List.of(
                bad("inputs of rank 2", CLASSIFIER, none, m -> m.forward(Tensor.zeros(B, T * I))),
                bad("inputs with too few features", CLASSIFIER, none, m -> m.forward(inputs(B, T, I - 1))),
                bad("inputs with too many features", CLASSIFIER, none, m -> m.forward(inputs(B, T, I + 3))),
                bad("a NaN input", CLASSIFIER, none, m -> m.forward(withValue(Float.NaN))),
                bad("an infinite input", CLASSIFIER, none, m -> m.forward(withValue(Float.POSITIVE_INFINITY))),
                bad("a NaN input in a batch", CLASSIFIER, none,
                        m -> m.forward(new Batch(withValue(Float.NaN), null), null)),
                bad("lengths for fewer examples than the batch", CLASSIFIER, lengths,
                        m -> m.forward(new Batch(inputs(B, T, I), null, null, new int[] {T, T}), null)),
                bad("a length of 0", CLASSIFIER, lengths,
                        m -> m.forward(new Batch(inputs(B, T, I), null, null, new int[] {T, 0, 1}), null)),
                bad("a length longer than the sequence", CLASSIFIER, lengths,
                        m -> m.forward(new Batch(inputs(B, T, I), null, null, new int[] {T, T + 1, 1}), null)),
                bad("a negative length", CLASSIFIER, lengths,
                        m -> m.forward(new Batch(inputs(B, T, I), null, null, new int[] {T, -2, 1}), null)),
                bad("labels for fewer examples than the batch", CLASSIFIER, train,
                        m -> m.lossAndGradients(new Batch(inputs(B, T, I), new int[] {0, 1}))),
                bad("a label past the last class", CLASSIFIER, train,
                        m -> m.lossAndGradients(new Batch(inputs(B, T, I), new int[] {0, 3, 1}))),
                bad("a negative label", CLASSIFIER, train,
                        m -> m.lossAndGradients(new Batch(inputs(B, T, I), new int[] {0, -1, 1}))),
                bad("no labels for a classifier", CLASSIFIER, train,
                        m -> m.lossAndGradients(new Batch(inputs(B, T, I), null))),
                bad("bad inputs in a training batch", CLASSIFIER, train,
                        m -> m.lossAndGradients(new Batch(withValue(Float.NaN), labels))),
                bad("regression targets of the wrong shape", REGRESSOR, regression,
                        m -> m.lossAndGradients(new Batch(inputs(B, T, I), null, Tensor.zeros(B, 3), null))),
                bad("a NaN regression target", REGRESSOR, regression, m -> {
                    Tensor y = Tensor.zeros(B, 2);
                    y.data()[1] = Float.NaN;
                    m.lossAndGradients(new Batch(inputs(B, T, I), null, y, null));
                }),
                bad("initial states for two layers of a one-layer network", CLASSIFIER, initial,
                        m -> m.forward(inputs(B, T, I), states(2, B, H, 0f))),
                bad("initial states for another batch size", CLASSIFIER, initial,
                        m -> m.forward(inputs(B, T, I), states(1, B + 1, H, 0f))),
                bad("initial states of another hidden size", CLASSIFIER, initial,
                        m -> m.forward(inputs(B, T, I), states(1, B, H + 1, 0f))),
                bad("a NaN initial state", CLASSIFIER, initial,
                        m -> m.forward(inputs(B, T, I), states(1, B, H, Float.NaN))),
                bad("parameters of another network", CLASSIFIER, none,
                        m -> m.setParameters(Initialization.defaults().initialize(REGRESSOR, 1))),
                bad("a parameter of the wrong shape", CLASSIFIER, none, m -> {
                    Parameters p = m.parameters();
                    p.put(Parameters.HEAD_B, Tensor.zeros(4));
                    m.setParameters(p);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectedClearlyAndNothingLost(String name, Bad bad) {
        Parameters init = Initialization.defaults().initialize(bad.network, 3);
        try (Model m = compile(bad.network, init, bad.needs)) {
            Tensor probe = inputs(B, T, I);
            float[] before = m.forward(probe).output().data();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bad.call.accept(m),
                    name + ": expected IllegalArgumentException");
            assertNotNull(e.getMessage(), name + ": the error needs a message");
            assertFalse(e.getMessage().isBlank(), name + ": the error needs a message");
            assertArrayEquals(before, m.forward(probe).output().data(), name + ": the model changed after the error");
            Parameters now = m.parameters();
            for (String p : init.names()) {
                assertArrayEquals(init.get(p).data(), now.get(p).data(), name + ": parameter " + p + " changed");
            }
        }
    }

    @Test
    void parametersThatDoNotMatchAreRejectedAtCompile() {
        Parameters wrong = Initialization.defaults().initialize(REGRESSOR, 1);
        assertThrows(IllegalArgumentException.class, () -> compile(CLASSIFIER, wrong, null).close());
        Parameters missing = Initialization.defaults().initialize(CLASSIFIER, 1);
        Parameters partial = Parameters.empty();
        for (String p : missing.names()) {
            if (!p.equals(Parameters.r(0))) {
                partial.put(p, missing.get(p));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> compile(CLASSIFIER, partial, null).close());
    }
}
