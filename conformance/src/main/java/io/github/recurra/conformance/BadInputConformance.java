package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.spi.UnsupportedCapabilityException;
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
 * bit for bit what it computed before and its parameters are unchanged. Covered: inputs of the wrong width, NaN or
 * infinite values, labels out of range or missing, regression targets of the wrong shape, non-finite or missing,
 * initial states of the wrong count, shape or value, and parameters that do not match the network (at compile time
 * and when replaced). The network uses the first cell type the backend claims.
 */
@ConformanceArea("bad input")
public abstract class BadInputConformance extends ConformanceBase {
    private static final int B = 3;
    private static final int T = 4;
    private static final int I = 2;
    private static final int H = 5;
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

    /** A classifier over the first recurrent cell type the backend claims (LSTM, else GRU, else RNN). */
    private Network classifier() {
        return Network.builder(I).layer(Sequence.of(cell())).head(Head.classifier(3)).build();
    }

    /** A last-step regressor over the same cell. */
    private Network regressor() {
        return Network.builder(I).layer(Sequence.of(cell()))
                .head(Head.of(2, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build();
    }

    private Cell cell() {
        if (backend().supports(Capability.LSTM)) {
            return LstmCell.of(H);
        }
        return backend().supports(Capability.GRU) ? GruCell.of(H) : RnnCell.of(H);
    }

    /** A bad call, on a regressor or a classifier, what it needs beyond inference, and the call itself. */
    private record Bad(boolean regression, Set<Capability> needs, Consumer<Model> call) {
    }

    private static Arguments bad(String name, boolean regression, Set<Capability> needs, Consumer<Model> call) {
        return Arguments.of(name, new Bad(regression, needs, call));
    }

    /**
     * Every call goes to the backend's own {@code forward(Batch, States)} or {@code lossAndGradients(Batch, States,
     * long)}, not to a default method that checks on the backend's behalf. Malformed batches that {@link Batch}
     * itself refuses to build (wrong rank, lengths or labels of the wrong count, lengths out of range) never reach a
     * backend and are not listed.
     */
    static List<Arguments> cases() {
        Set<Capability> none = EnumSet.noneOf(Capability.class);
        Set<Capability> train = EnumSet.of(Capability.TRAINING);
        Set<Capability> regression = EnumSet.of(Capability.TRAINING, Capability.REGRESSION_LOSS);
        Set<Capability> initial = EnumSet.of(Capability.INITIAL_STATES);
        int[] labels = {0, 1, 2};
        return List.of(
                bad("inputs with too few features", false, none,
                        m -> m.forward(new Batch(inputs(B, T, I - 1), null), null)),
                bad("inputs with too many features", false, none,
                        m -> m.forward(new Batch(inputs(B, T, I + 3), null), null)),
                bad("a NaN input", false, none, m -> m.forward(new Batch(withValue(Float.NaN), null), null)),
                bad("an infinite input", false, none,
                        m -> m.forward(new Batch(withValue(Float.NEGATIVE_INFINITY), null), null)),
                bad("a NaN input in a training batch", false, train,
                        m -> m.lossAndGradients(new Batch(withValue(Float.NaN), labels), null, 1L)),
                bad("training inputs with too many features", false, train,
                        m -> m.lossAndGradients(new Batch(inputs(B, T, I + 1), labels), null, 1L)),
                bad("a label past the last class", false, train,
                        m -> m.lossAndGradients(new Batch(inputs(B, T, I), new int[] {0, 3, 1}), null, 1L)),
                bad("a negative label", false, train,
                        m -> m.lossAndGradients(new Batch(inputs(B, T, I), new int[] {0, -1, 1}), null, 1L)),
                bad("no labels for a classifier", false, train,
                        m -> m.lossAndGradients(new Batch(inputs(B, T, I), null), null, 1L)),
                bad("regression targets with too many outputs", true, regression,
                        m -> m.lossAndGradients(new Batch(inputs(B, T, I), null, Tensor.zeros(B, 3), null), null, 1L)),
                bad("a NaN regression target", true, regression, m -> {
                    Tensor y = Tensor.zeros(B, 2);
                    y.data()[1] = Float.NaN;
                    m.lossAndGradients(new Batch(inputs(B, T, I), null, y, null), null, 1L);
                }),
                bad("no targets for a regressor", true, regression,
                        m -> m.lossAndGradients(new Batch(inputs(B, T, I), null), null, 1L)),
                bad("initial states for two layers of a one-layer network", false, initial,
                        m -> m.forward(new Batch(inputs(B, T, I), null), states(2, B, H, 0f))),
                bad("initial states for another batch size", false, initial,
                        m -> m.forward(new Batch(inputs(B, T, I), null), states(1, B + 1, H, 0f))),
                bad("initial states of another hidden size", false, initial,
                        m -> m.forward(new Batch(inputs(B, T, I), null), states(1, B, H + 1, 0f))),
                bad("a NaN initial state", false, initial,
                        m -> m.forward(new Batch(inputs(B, T, I), null), states(1, B, H, Float.NaN))),
                bad("an infinite initial state in training", false, EnumSet.of(Capability.INITIAL_STATES,
                        Capability.TRAINING), m -> m.lossAndGradients(new Batch(inputs(B, T, I), labels),
                                states(1, B, H, Float.POSITIVE_INFINITY), 1L)),
                bad("parameters of another network", false, none, m -> {
                    Parameters other = Parameters.zerosFor(Network.builder(I + 1).layer(m.network().layers().get(0))
                            .head(Head.classifier(3)).build());
                    m.setParameters(other);
                }),
                bad("a parameter of the wrong shape", false, none, m -> {
                    Parameters p = m.parameters();
                    p.put(Parameters.HEAD_B, Tensor.zeros(4));
                    m.setParameters(p);
                }),
                bad("a missing parameter", false, none, m -> {
                    Parameters p = Parameters.empty();
                    m.parameters().asMap().forEach((k, v) -> {
                        if (!k.equals(Parameters.r(0))) {
                            p.put(k, v);
                        }
                    });
                    m.setParameters(p);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.recurra.conformance.BadInputConformance#cases")
    void rejectedClearlyAndNothingLost(String name, Bad bad) {
        Network net = bad.regression ? regressor() : classifier();
        Parameters init = Initialization.defaults().initialize(net, 3);
        try (Model m = compile(net, init, bad.needs)) {
            Batch probe = new Batch(inputs(B, T, I), null);
            float[] before = m.forward(probe, null).output().data();
            RuntimeException e = assertThrows(RuntimeException.class, () -> bad.call.accept(m),
                    name + ": expected IllegalArgumentException");
            // a backend that does not claim what the call needs may refuse it before it looks at the input
            UnsupportedCapabilityException refusal = e instanceof UnsupportedCapabilityException
                    && unclaimed(bad.needs).contains(((UnsupportedCapabilityException) e).capability())
                    ? (UnsupportedCapabilityException) e : null;
            if (refusal == null) {
                assertInstanceOf(IllegalArgumentException.class, e, name + ": expected IllegalArgumentException");
                assertNotNull(e.getMessage(), name + ": the error needs a message");
                assertFalse(e.getMessage().isBlank(), name + ": the error needs a message");
            }
            assertArrayEquals(before, m.forward(probe, null).output().data(),
                    name + ": the model changed after the error");
            Parameters now = m.parameters();
            for (String p : init.names()) {
                assertArrayEquals(init.get(p).data(), now.get(p).data(), name + ": parameter " + p + " changed");
            }
            if (refusal != null) {
                throw refusal; // counted as a refusal (ConformanceRegistration), after the model was checked
            }
        }
    }

    @Test
    void parametersThatDoNotMatchAreRejectedAtCompile() {
        Network net = classifier();
        assumeClaims(Capability.requiredBy(net), "compile " + net);
        Parameters wrong = Initialization.defaults().initialize(regressor(), 1);
        assertThrows(IllegalArgumentException.class, () -> backend().compile(net, wrong).close(),
                "parameters of another network");
        Parameters partial = Parameters.empty();
        Initialization.defaults().initialize(net, 1).asMap().forEach((k, v) -> {
            if (!k.equals(Parameters.r(0))) {
                partial.put(k, v);
            }
        });
        assertThrows(IllegalArgumentException.class, () -> backend().compile(net, partial).close(),
                "a missing parameter");
    }
}
