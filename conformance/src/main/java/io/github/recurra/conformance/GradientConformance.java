package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Initializer;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.train.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradients (backends that claim {@code TRAINING}):
 * <ul>
 *   <li>against PyTorch autograd: whole networks (recurrent stack, dense head on the last step or on every step,
 *       softmax cross-entropy or squared error, lengths, initial states): the loss and the gradient of every
 *       parameter, plus the logits where the case has them ({@code network_*}) and the gradients of the initial
 *       states where it starts from given states ({@code seqnet_lstm_h0_every_step}) ({@link Tolerances#gradient()});
 *       among them heads on {@code y[:, -1, :]} ({@link Golden#LAST_TIME_INDEX_CASES}), whose gradient enters a
 *       reverse direction at its first step;</li>
 *   <li>against central finite differences of the backend's own loss, on every element of every parameter, for
 *       every cell option (peepholes, clip, coupled gate, both GRU reset modes, every activation), stacks,
 *       directions and merge modes, both last-step outputs ({@code LastStep}), lengths, dropout and both losses
 *       ({@link Tolerances#finiteDifference()});</li>
 *   <li>against the reference backend on the same networks and batches ({@link Tolerances#crossBackendGradient()}).
 *   </li>
 * </ul>
 * Piecewise activations and clipping have kinks: an element that misses the finite-difference tolerance at ε is
 * retried at ε/8 and fails only if it misses both; at most 5 % of the elements may need the retry.
 */
@ConformanceArea("gradients")
public abstract class GradientConformance extends ConformanceBase {
    private static final int BATCH = 3;
    private static final int TIME = 5;
    private static final int INPUT = 3;
    private static final int HIDDEN = 4;
    private static final int CLASSES = 3;
    private static final long DROPOUT_SEED = 17;

    /**
     * @param under the backend under test
     */
    protected GradientConformance(BackendUnderTest under) {
        super(under);
    }

    static List<String> goldenNetworks() {
        List<String> all = new ArrayList<>(Golden.NETWORK_CASES);
        all.addAll(List.of("seqnet_gru_bidirectional_stacked_lengths_every_step", "seqnet_lstm_lengths_last_step",
                "seqnet_lstm_bidirectional_last_step_mse", "seqnet_rnn_stacked_every_step_mse",
                "seqnet_lstm_h0_every_step"));
        all.addAll(Golden.LAST_TIME_INDEX_CASES);
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.recurra.conformance.GradientConformance#goldenNetworks")
    void lossAndGradientsMatchPyTorchAutograd(String name) {
        GoldenCase c = GoldenCase.load(name);
        try (Model m = compile(c.network, c.parameters, needs(c.network, c.batch, c.initial, true))) {
            LossAndGradients lg = m.lossAndGradients(c.batch, c.initial, 0L);
            Golden g = c.golden;
            tolerances().loss().assertClose(g.number("loss"), lg.loss(), name + ": loss");
            if (g.has("logits")) {
                tolerances().gradient().assertClose(g.floats("logits"), lg.logits().data(), name + ": logits");
            }
            for (Map.Entry<String, float[]> e : c.gradients().entrySet()) {
                tolerances().gradient().assertClose(e.getValue(), lg.gradients().get(e.getKey()).data(),
                        name + ": d loss / d " + e.getKey());
            }
            if (g.has("gradH0")) {
                for (int k = 0; k < c.network.layers().size(); k++) {
                    tolerances().gradient().assertClose(g.floats("gradH0", "layer" + k),
                            lg.initialStateGradients().hidden().get(k).data(), name + ": d loss / d h0 of layer " + k);
                    if (g.has("gradC0")) {
                        tolerances().gradient().assertClose(g.floats("gradC0", "layer" + k),
                                lg.initialStateGradients().cell().get(k).data(),
                                name + ": d loss / d c0 of layer " + k);
                    }
                }
            }
        }
    }

    /**
     * Networks for the finite-difference and cross-backend checks: name, network, whether the batch has lengths, and
     * whether labels or targets are drawn at random (otherwise the labels are 0, 2, 1).
     */
    static List<Arguments> networks() {
        List<Arguments> all = new ArrayList<>();
        all.add(one("lstm", LstmCell.of(HIDDEN)));
        all.add(one("lstm forget bias 0", LstmCell.builder(HIDDEN).forgetBias(0f).build()));
        all.add(one("lstm peepholes", LstmCell.builder(HIDDEN).peepholes(true).build()));
        all.add(one("lstm clip", LstmCell.builder(HIDDEN).clip(0.6f).build()));
        all.add(one("lstm coupled input-forget", LstmCell.builder(HIDDEN).coupledInputForget(true).build()));
        all.add(one("lstm peepholes+clip+coupled", LstmCell.builder(HIDDEN).peepholes(true).clip(0.7f)
                .coupledInputForget(true).build()));
        all.add(one("lstm custom activations", LstmCell.builder(HIDDEN).activations(Activation.hardSigmoid(0.2f, 0.5f),
                Activation.softsign(), Activation.elu(0.9f)).peepholes(true).build()));
        all.add(one("gru", GruCell.of(HIDDEN)));
        all.add(one("gru linear before reset", GruCell.builder(HIDDEN).linearBeforeReset(true).build()));
        all.add(one("gru clip", GruCell.builder(HIDDEN).clip(0.5f).build()));
        all.add(one("gru lbr clip", GruCell.builder(HIDDEN).linearBeforeReset(true).clip(0.5f).build()));
        all.add(one("gru custom activations", GruCell.builder(HIDDEN)
                .activations(Activation.softsign(), Activation.scaledTanh(1.2f, 0.8f)).build()));
        for (Activation a : List.of(Activation.tanh(), Activation.relu(), Activation.sigmoid(),
                Activation.affine(0.5f, 0.1f), Activation.leakyRelu(0.1f), Activation.thresholdedRelu(0.2f),
                Activation.scaledTanh(1.5f, 0.7f), Activation.hardSigmoid(0.3f, 0.4f), Activation.elu(0.8f),
                Activation.softsign(), Activation.softplus())) {
            all.add(one("rnn " + a, RnnCell.builder(HIDDEN).activation(a).build()));
        }
        all.add(one("rnn tanh clip", RnnCell.builder(HIDDEN).clip(0.5f).build()));
        all.add(Arguments.of("stack lstm(peepholes) > gru(lbr)", Network.builder(INPUT)
                .layer(Sequence.builder(LstmCell.builder(HIDDEN).peepholes(true).build()).returnSequences(true)
                        .build())
                .layer(Sequence.of(GruCell.builder(HIDDEN + 1).linearBeforeReset(true).build()))
                .head(Head.classifier(CLASSES)).build(), false, false));
        all.add(Arguments.of("stack gru > rnn > lstm", Network.builder(INPUT)
                .layer(Sequence.builder(GruCell.of(HIDDEN)).returnSequences(true).build())
                .layer(Sequence.builder(RnnCell.of(HIDDEN - 1)).returnSequences(true).build())
                .layer(Sequence.of(LstmCell.builder(HIDDEN).coupledInputForget(true).build()))
                .head(Head.classifier(CLASSES)).build(), false, false));
        for (MergeMode mode : MergeMode.values()) {
            // a product of two hidden states is small, so that merge gets the squared error, whose gradients are larger
            Head head = mode == MergeMode.MULTIPLY ? Head.of(2, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR)
                    : Head.of(CLASSES, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY);
            all.add(Arguments.of("bidirectional lstm, merge " + mode + ", every step, lengths", Network.builder(INPUT)
                    .layer(Sequence.builder(LstmCell.builder(HIDDEN).peepholes(true).build())
                            .direction(Direction.BIDIRECTIONAL).mergeMode(mode).returnSequences(true).build())
                    .head(head).build(), true, true));
        }
        all.add(Arguments.of("bidirectional two-layer gru, lengths, per-step loss", Network.builder(INPUT)
                .layer(Sequence.builder(GruCell.of(HIDDEN)).direction(Direction.BIDIRECTIONAL).returnSequences(true)
                        .build())
                .layer(Sequence.builder(GruCell.builder(HIDDEN).linearBeforeReset(true).build())
                        .direction(Direction.BIDIRECTIONAL).returnSequences(true).build())
                .head(Head.of(CLASSES, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY)).build(), true, true));
        all.add(Arguments.of("reverse rnn, lengths, last step", Network.builder(INPUT)
                .layer(Sequence.builder(RnnCell.of(HIDDEN)).direction(Direction.REVERSE).build())
                .head(Head.classifier(CLASSES)).build(), true, true));
        all.add(Arguments.of("bidirectional lstm, last step, squared error, lengths", Network.builder(INPUT)
                .layer(Sequence.builder(LstmCell.of(HIDDEN)).direction(Direction.BIDIRECTIONAL)
                        .mergeMode(MergeMode.MULTIPLY).build())
                .head(Head.of(2, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build(), true, true));
        all.add(Arguments.of("stacked lstm > reverse gru with dropout, every-step squared error", Network.builder(INPUT)
                .layer(Sequence.builder(LstmCell.of(HIDDEN)).returnSequences(true).build())
                .layer(Sequence.builder(GruCell.of(HIDDEN)).direction(Direction.REVERSE).returnSequences(true)
                        .build())
                .dropout(0.3)
                .head(Head.of(2, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build(), false, true));
        all.add(Arguments.of("three-layer mixed stack, lengths, dropout, last step", Network.builder(INPUT)
                .layer(Sequence.builder(RnnCell.of(HIDDEN)).direction(Direction.BIDIRECTIONAL)
                        .mergeMode(MergeMode.AVERAGE).returnSequences(true).build())
                .layer(Sequence.builder(LstmCell.builder(HIDDEN).coupledInputForget(true).build())
                        .returnSequences(true).build())
                .layer(Sequence.builder(GruCell.of(HIDDEN)).direction(Direction.BIDIRECTIONAL).build())
                .dropout(0.25)
                .head(Head.classifier(CLASSES)).build(), true, true));
        for (MergeMode mode : MergeMode.values()) {
            // the head reads each direction at the last valid index: the reverse direction after its first step
            Head head = mode == MergeMode.MULTIPLY ? Head.of(2, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR)
                    : Head.classifier(CLASSES);
            all.add(Arguments.of("bidirectional lstm, merge " + mode + ", last time index, lengths",
                    Network.builder(INPUT).layer(Sequence.builder(LstmCell.builder(HIDDEN).peepholes(true).build())
                            .direction(Direction.BIDIRECTIONAL).mergeMode(mode).lastStep(LastStep.LAST_TIME_INDEX)
                            .build())
                    .head(head).build(), true, true));
        }
        all.add(Arguments.of("bidirectional gru > bidirectional rnn, last time index, lengths", Network.builder(INPUT)
                .layer(Sequence.builder(GruCell.builder(HIDDEN).linearBeforeReset(true).build())
                        .direction(Direction.BIDIRECTIONAL).returnSequences(true).build())
                .layer(Sequence.builder(RnnCell.of(HIDDEN)).direction(Direction.BIDIRECTIONAL)
                        .mergeMode(MergeMode.SUM).lastStep(LastStep.LAST_TIME_INDEX).build())
                .head(Head.classifier(CLASSES)).build(), true, true));
        all.add(Arguments.of("lstm > bidirectional gru with dropout, last time index, squared error",
                Network.builder(INPUT)
                        .layer(Sequence.builder(LstmCell.of(HIDDEN)).returnSequences(true).build())
                        .layer(Sequence.builder(GruCell.of(HIDDEN)).direction(Direction.BIDIRECTIONAL)
                                .mergeMode(MergeMode.AVERAGE).lastStep(LastStep.LAST_TIME_INDEX).build())
                        .dropout(0.3)
                        .head(Head.of(2, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build(), false, true));
        all.add(Arguments.of("reverse gru, last time index", Network.builder(INPUT)
                .layer(Sequence.builder(GruCell.of(HIDDEN)).direction(Direction.REVERSE)
                        .lastStep(LastStep.LAST_TIME_INDEX).build())
                .head(Head.classifier(CLASSES)).build(), false, true));
        return all;
    }

    private static Arguments one(String name, Cell cell) {
        return Arguments.of(name, Network.builder(INPUT).layer(Sequence.of(cell)).head(Head.classifier(CLASSES))
                .build(), false, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.recurra.conformance.GradientConformance#networks")
    void gradientsMatchFiniteDifferences(String name, Network net, boolean lengths, boolean drawn) {
        Problem pr = problem(name, net, lengths, drawn);
        try (Model m = compile(net, pr.parameters, needs(net, pr.batch, null, true))) {
            LossAndGradients lg = m.lossAndGradients(pr.batch, null, DROPOUT_SEED);
            if (net.dropout() == 0) {
                tolerances().loss().assertClose(Metrics.loss(net.requireHead(),
                        m.forward(pr.batch, null).logits(), pr.batch), lg.loss(),
                        name + ": loss of the backward pass against the loss of the forward pass");
            }
            Tolerance tol = tolerances().finiteDifference();
            float eps = (float) tolerances().finiteDifferenceStep();
            Parameters p = pr.parameters;
            int checked = 0;
            int nonZero = 0;
            int retried = 0;
            for (String tensor : p.names()) {
                float[] values = p.get(tensor).data();
                float[] grad = lg.gradients().get(tensor).data();
                for (int i = 0; i < values.length; i++) {
                    double numeric = numeric(m, p, pr.batch, values, i, eps);
                    if (!tol.allows(numeric, grad[i])) {
                        retried++;
                        double closer = numeric(m, p, pr.batch, values, i, eps / 8);
                        if (!tol.allows(closer, grad[i])) {
                            fail(name + ": d loss / d " + tensor + "[" + i + "] is " + grad[i] + " but finite "
                                    + "differences give " + numeric + " (ε) and " + closer + " (ε/8); tolerance " + tol);
                        }
                    }
                    checked++;
                    if (Math.abs(numeric) > 1e-3) {
                        nonZero++;
                    }
                }
            }
            assertTrue(retried <= checked / 20, name + ": " + retried + " of " + checked
                    + " elements needed the retry at ε/8");
            assertTrue(nonZero > checked / 4, name + ": only " + nonZero + " of " + checked
                    + " gradients are clearly non-zero; the check would be too weak");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.recurra.conformance.GradientConformance#networks")
    void gradientsEqualTheReferenceBackend(String name, Network net, boolean lengths, boolean drawn) {
        Problem pr = problem(name, net, lengths, drawn);
        try (Model m = compile(net, pr.parameters, needs(net, pr.batch, null, true));
                Model ref = compileReference(net, pr.parameters)) {
            LossAndGradients mine = m.lossAndGradients(pr.batch, null, DROPOUT_SEED);
            LossAndGradients theirs = ref.lossAndGradients(pr.batch, null, DROPOUT_SEED);
            String vs = " against backend '" + reference().name() + "'";
            tolerances().crossBackend().assertClose(theirs.loss(), mine.loss(), name + ": loss" + vs);
            for (String tensor : pr.parameters.names()) {
                tolerances().crossBackendGradient().assertClose(theirs.gradients().get(tensor).data(),
                        mine.gradients().get(tensor).data(), name + ": d loss / d " + tensor + vs);
            }
        }
    }

    /** A network's parameters and batch, drawn from the name so that both checks see the same problem. */
    private record Problem(Parameters parameters, Batch batch) {
    }

    private static Problem problem(String name, Network net, boolean withLengths, boolean drawn) {
        SplittableRandom random = new SplittableRandom(name.hashCode());
        Head head = net.requireHead();
        boolean perStep = head.target() == Head.Target.EVERY_STEP;
        int[] labels = null;
        Tensor targets = null;
        if (!drawn) {
            labels = new int[] {0, 2, 1};
        } else if (head.loss() == Head.Loss.SOFTMAX_CROSS_ENTROPY) {
            labels = new int[perStep ? BATCH * TIME : BATCH];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = random.nextInt(CLASSES);
            }
        } else {
            targets = perStep ? Tensor.zeros(BATCH, TIME, head.outputs()) : Tensor.zeros(BATCH, head.outputs());
            for (int i = 0; i < targets.size(); i++) {
                targets.data()[i] = (float) (2 * random.nextGaussian());
            }
        }
        // random, non-zero biases and peepholes so that every term is exercised
        Parameters p = Initialization.of(Initializer.glorotUniform(), Initializer.orthogonal(1.0)).initialize(net, 7);
        for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
            float[] d = e.getValue().data();
            boolean vector = e.getKey().endsWith(".B") || e.getKey().endsWith(".P");
            for (int i = 0; i < d.length; i++) {
                d[i] = vector ? (float) (random.nextDouble() - 0.5) : d[i] * 1.5f;
            }
        }
        float[] x = new float[BATCH * TIME * INPUT];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * random.nextDouble() - 1);
        }
        int[] lengths = withLengths ? new int[] {TIME, 2, 1} : null;
        return new Problem(p, new Batch(Tensor.wrap(x, BATCH, TIME, INPUT), labels, targets, lengths));
    }

    /** Central difference of the training loss (same dropout seed) in element i of a tensor of {@code p}. */
    private static double numeric(Model m, Parameters p, Batch batch, float[] values, int i, float eps) {
        float keep = values[i];
        try {
            values[i] = keep + eps;
            m.setParameters(p);
            double up = m.lossAndGradients(batch, null, DROPOUT_SEED).loss();
            values[i] = keep - eps;
            m.setParameters(p);
            double down = m.lossAndGradients(batch, null, DROPOUT_SEED).loss();
            return (up - down) / (2 * eps);
        } finally {
            values[i] = keep;
            m.setParameters(p);
        }
    }
}
