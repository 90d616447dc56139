package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.spi.UnsupportedCapabilityException;
import io.github.recurra.api.tensor.Tensor;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Capabilities, one probe per {@link Capability}: a small network and call that need it. If the backend claims it, the
 * probe must run and give finite results (a claimed capability that fails is a failure, never a skip). If it does not,
 * the probe must fail with {@link UnsupportedCapabilityException} naming the backend and the capability. A probe
 * whose other prerequisites the backend lacks is skipped with that reason.
 */
@ConformanceArea("capabilities")
public abstract class CapabilityConformance extends ConformanceBase {
    private static final int B = 3;
    private static final int T = 4;
    private static final int I = 2;

    /**
     * @param under the backend under test
     */
    protected CapabilityConformance(BackendUnderTest under) {
        super(under);
    }

    /** A probe: the network, and whether the call passes lengths or initial states. */
    private record Probe(Network network, boolean lengths, boolean initialStates) {
    }

    private static Network one(Sequence s, Head head) {
        return Network.builder(I).layer(s).head(head).build();
    }

    private static Probe probe(Capability c) {
        Head classifier = Head.classifier(3);
        Sequence lstm = Sequence.of(LstmCell.of(4));
        switch (c) {
            case RNN: return new Probe(one(Sequence.of(RnnCell.of(4)), classifier), false, false);
            case GRU: return new Probe(one(Sequence.of(GruCell.of(4)), classifier), false, false);
            case PEEPHOLES: return new Probe(one(Sequence.of(LstmCell.builder(4).peepholes(true).build()),
                    classifier), false, false);
            case CELL_CLIP: return new Probe(one(Sequence.of(LstmCell.builder(4).clip(1f).build()), classifier),
                    false, false);
            case COUPLED_INPUT_FORGET: return new Probe(one(Sequence.of(LstmCell.builder(4).coupledInputForget(true)
                    .build()), classifier), false, false);
            case CUSTOM_ACTIVATIONS: return new Probe(one(Sequence.of(RnnCell.builder(4)
                    .activation(Activation.softsign()).build()), classifier), false, false);
            case STACKED_LAYERS: return new Probe(Network.builder(I).layer(Sequence.builder(LstmCell.of(4))
                    .returnSequences(true).build()).layer(lstm).head(classifier).build(), false, false);
            case LAYER_DROPOUT: return new Probe(Network.builder(I).layer(Sequence.builder(LstmCell.of(4))
                    .returnSequences(true).build()).layer(lstm).dropout(0.2).head(classifier).build(), false, false);
            case REVERSE: return new Probe(one(Sequence.builder(LstmCell.of(4)).direction(Direction.REVERSE).build(),
                    classifier), false, false);
            case BIDIRECTIONAL: return new Probe(one(Sequence.builder(LstmCell.of(4))
                    .direction(Direction.BIDIRECTIONAL).build(), classifier), false, false);
            case INITIAL_STATES: return new Probe(one(lstm, classifier), false, true);
            case SEQUENCE_LENGTHS: return new Probe(one(lstm, classifier), true, false);
            case LAST_TIME_INDEX: return new Probe(one(Sequence.builder(GruCell.of(4)).direction(Direction.REVERSE)
                    .lastStep(LastStep.LAST_TIME_INDEX).build(), classifier), false, false);
            case PER_STEP_HEAD: return new Probe(one(Sequence.builder(LstmCell.of(4)).returnSequences(true).build(),
                    Head.of(3, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY)), false, false);
            case REGRESSION_LOSS: return new Probe(one(lstm, Head.of(2, Head.Target.LAST_STEP,
                    Head.Loss.MEAN_SQUARED_ERROR)), false, false);
            case INFERENCE:
            case TRAINING:
            case LSTM:
                return new Probe(one(lstm, classifier), false, false);
            default:
                throw new IllegalStateException("the kit has no probe for capability " + c + "; update "
                        + "CapabilityConformance together with Capability");
        }
    }

    private static Batch batch(Probe p) {
        Head head = p.network.requireHead();
        float[] x = new float[B * T * I];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        int[] lengths = p.lengths ? new int[] {T, 2, 1} : null;
        boolean perStep = head.target() == Head.Target.EVERY_STEP;
        if (head.loss() == Head.Loss.MEAN_SQUARED_ERROR) {
            return new Batch(Tensor.wrap(x, B, T, I), null, Tensor.zeros(B, head.outputs()), lengths);
        }
        return new Batch(Tensor.wrap(x, B, T, I), new int[perStep ? B * T : B], null, lengths);
    }

    private static States states(Probe p) {
        if (!p.initialStates) {
            return null;
        }
        Tensor h = Tensor.zeros(1, B, 4);
        Tensor c = Tensor.zeros(1, B, 4);
        h.data()[0] = 0.5f;
        return new States(List.of(h), List.of(c));
    }

    /** Runs the probe: forward and, when training is claimed or probed, loss and gradients. */
    private void run(Capability c, Probe p) {
        boolean train = c == Capability.TRAINING || (backend().supports(Capability.TRAINING)
                && c != Capability.INFERENCE);
        try (Model m = backend().compile(p.network, Initialization.defaults().initialize(p.network, 1))) {
            if (c != Capability.TRAINING) {
                Forward f = m.forward(batch(p), states(p));
                assertTrue(f.logits().firstNonFinite() < 0, c + " probe: non-finite logits");
            }
            if (train) {
                LossAndGradients lg = m.lossAndGradients(batch(p), states(p), 1L);
                assertTrue(Double.isFinite(lg.loss()), c + " probe: non-finite loss " + lg.loss());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Capability.class)
    void claimedCapabilitiesWorkAndOthersFailClearly(Capability c) {
        Probe p = probe(c);
        Set<Capability> others = EnumSet.copyOf(needs(p.network, batch(p), states(p), c == Capability.TRAINING));
        others.remove(c);
        if (c != Capability.INFERENCE && c != Capability.TRAINING) {
            others.remove(Capability.TRAINING);
        }
        assumeClaims(others, "probe " + c);
        if (backend().supports(c)) {
            try {
                run(c, p);
            } catch (UnsupportedCapabilityException e) {
                fail("backend '" + backendName() + "' claims " + c + " but refused its probe: " + e.getMessage(), e);
            }
        } else {
            UnsupportedCapabilityException e = assertThrows(UnsupportedCapabilityException.class, () -> run(c, p),
                    "backend '" + backendName() + "' does not claim " + c + ", so its probe must fail with "
                            + "UnsupportedCapabilityException");
            assertEquals(c, e.capability(), "the capability the error names");
            assertTrue(e.getMessage().contains(backendName()), "the error should name the backend: "
                    + e.getMessage());
        }
    }

    @Test
    void everyBackendClaimsInference() {
        assertTrue(backend().supports(Capability.INFERENCE), "backend '" + backendName() + "' must claim INFERENCE");
    }
}
