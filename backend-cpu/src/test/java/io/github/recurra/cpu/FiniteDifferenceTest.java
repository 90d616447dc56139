package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Initializer;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.train.Metrics;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central finite differences of the loss against the backend's gradients, on every element of every parameter
 * tensor: every cell option and activation, stacks, and the sequence features alone and combined (directions and
 * merge modes, lengths, dropout, per-step and last-step heads, cross-entropy and squared error). Only loss values are
 * used for the differences; without dropout they are checked against the loss computed from a forward pass.
 *
 * <p>Tolerance: |analytic − numeric| ≤ 2e-4 + 1e-2·|numeric|. With ε = 4e-3 in float32 the numeric derivative carries
 * an error of about 1e-5 (rounding) plus O(ε²) truncation, far below the tolerance, while a missing term or a wrong
 * sign changes a gradient by a large fraction of itself (removing the output peephole's term, or flipping the sign of
 * one GRU reset-gate product, changes gradients by 2 to 20 % and fails this test).
 *
 * <p>Clipping and the piecewise activations have kinks; when one lies within ε of a pre-activation the difference
 * quotient straddles it. An element that fails at ε is therefore retried at ε/8 (a kink at distance d only spoils
 * steps longer than d); it fails the test only if it fails both, and at most 5 % of the elements may need the retry.
 */
class FiniteDifferenceTest {
    private static final float EPS = 4e-3f;
    private static final double ABS = 2e-4;
    private static final double REL = 1e-2;
    private static final int BATCH = 3;
    private static final int TIME = 5;
    private static final int INPUT = 3;
    private static final int HIDDEN = 4;
    private static final int CLASSES = 3;
    private static final long SEED = 17;

    static Stream<Arguments> networks() {
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
                .head(Head.classifier(CLASSES)).build()));
        all.add(Arguments.of("stack gru > rnn > lstm", Network.builder(INPUT)
                .layer(Sequence.builder(GruCell.of(HIDDEN)).returnSequences(true).build())
                .layer(Sequence.builder(RnnCell.of(HIDDEN - 1)).returnSequences(true).build())
                .layer(Sequence.of(LstmCell.builder(HIDDEN).coupledInputForget(true).build()))
                .head(Head.classifier(CLASSES)).build()));
        return all.stream();
    }

    /** Sequence features alone and combined; each case names its head and whether the batch has lengths. */
    static Stream<Arguments> sequenceNetworks() {
        List<Arguments> all = new ArrayList<>();
        for (MergeMode mode : MergeMode.values()) {
            // a product of two hidden states is small, so that merge gets the squared error, whose gradients are larger
            Head head = mode == MergeMode.MULTIPLY ? Head.of(2, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR)
                    : Head.of(CLASSES, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY);
            all.add(Arguments.of("bidirectional lstm, merge " + mode + ", every step, lengths", Network.builder(INPUT)
                    .layer(Sequence.builder(LstmCell.builder(HIDDEN).peepholes(true).build())
                            .direction(Direction.BIDIRECTIONAL).mergeMode(mode).returnSequences(true).build())
                    .head(head).build(), true));
        }
        all.add(Arguments.of("bidirectional two-layer gru, lengths, per-step loss", Network.builder(INPUT)
                .layer(Sequence.builder(GruCell.of(HIDDEN)).direction(Direction.BIDIRECTIONAL).returnSequences(true)
                        .build())
                .layer(Sequence.builder(GruCell.builder(HIDDEN).linearBeforeReset(true).build())
                        .direction(Direction.BIDIRECTIONAL).returnSequences(true).build())
                .head(Head.of(CLASSES, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY)).build(), true));
        all.add(Arguments.of("reverse rnn, lengths, last step", Network.builder(INPUT)
                .layer(Sequence.builder(RnnCell.of(HIDDEN)).direction(Direction.REVERSE).build())
                .head(Head.classifier(CLASSES)).build(), true));
        all.add(Arguments.of("bidirectional lstm, last step, squared error, lengths", Network.builder(INPUT)
                .layer(Sequence.builder(LstmCell.of(HIDDEN)).direction(Direction.BIDIRECTIONAL)
                        .mergeMode(MergeMode.MULTIPLY).build())
                .head(Head.of(2, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build(), true));
        all.add(Arguments.of("stacked lstm > reverse gru with dropout, every-step squared error", Network.builder(INPUT)
                .layer(Sequence.builder(LstmCell.of(HIDDEN)).returnSequences(true).build())
                .layer(Sequence.builder(GruCell.of(HIDDEN)).direction(Direction.REVERSE).returnSequences(true)
                        .build())
                .dropout(0.3)
                .head(Head.of(2, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build(), false));
        all.add(Arguments.of("three-layer mixed stack, lengths, dropout, last step", Network.builder(INPUT)
                .layer(Sequence.builder(RnnCell.of(HIDDEN)).direction(Direction.BIDIRECTIONAL)
                        .mergeMode(MergeMode.AVERAGE).returnSequences(true).build())
                .layer(Sequence.builder(LstmCell.builder(HIDDEN).coupledInputForget(true).build())
                        .returnSequences(true).build())
                .layer(Sequence.builder(GruCell.of(HIDDEN)).direction(Direction.BIDIRECTIONAL).build())
                .dropout(0.25)
                .head(Head.classifier(CLASSES)).build(), true));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequenceNetworks")
    void sequenceFeaturesMatchFiniteDifferences(String name, Network net, boolean lengths) {
        SplittableRandom random = new SplittableRandom(name.hashCode());
        Head head = net.requireHead();
        int[] lens = lengths ? new int[] {TIME, 2, 1} : null;
        int[] labels = null;
        Tensor targets = null;
        boolean perStep = head.target() == Head.Target.EVERY_STEP;
        if (head.loss() == Head.Loss.SOFTMAX_CROSS_ENTROPY) {
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
        check(name, net, labels, targets, lens, random);
    }

    private static Arguments one(String name, Cell cell) {
        return Arguments.of(name, Network.builder(INPUT).layer(Sequence.of(cell)).head(Head.classifier(CLASSES))
                .build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void gradientsMatchFiniteDifferences(String name, Network net) {
        check(name, net, new int[] {0, 2, 1}, null, null, new SplittableRandom(name.hashCode()));
    }

    /**
     * Checks every gradient element of {@code net} on a random batch with the given labels or targets and lengths;
     * dropout (if any) uses the same seed for the gradients and for every finite-difference evaluation.
     */
    private static void check(String name, Network net, int[] labels, Tensor targets, int[] lengths,
            SplittableRandom random) {
        // random, non-zero biases and peepholes so that every term is exercised
        Parameters p = Initialization.of(Initializer.glorotUniform(), Initializer.orthogonal(1.0))
                .initialize(net, 7);
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
        Batch batch = new Batch(Tensor.wrap(x, BATCH, TIME, INPUT), labels, targets, lengths);
        try (Model m = new CpuBackend(1).compile(net, p)) {
            LossAndGradients lg = m.lossAndGradients(batch, null, SEED);
            if (net.dropout() == 0) {
                assertEquals(Metrics.loss(net.requireHead(), m.forward(batch, null).logits(), batch), lg.loss(), 1e-6,
                        "loss of the backward pass equals the loss of the forward pass");
            }
            int checked = 0;
            int nonZero = 0;
            int retried = 0;
            for (String tensor : p.names()) {
                float[] values = p.get(tensor).data();
                float[] grad = lg.gradients().get(tensor).data();
                for (int i = 0; i < values.length; i++) {
                    double numeric = numeric(m, p, batch, values, i, EPS);
                    if (Math.abs(grad[i] - numeric) > ABS + REL * Math.abs(numeric)) {
                        retried++;
                        double closer = numeric(m, p, batch, values, i, EPS / 8);
                        if (Math.abs(grad[i] - closer) > ABS + REL * Math.abs(closer)) {
                            fail(name + ": d loss / d " + tensor + "[" + i + "] is " + grad[i] + " but finite "
                                    + "differences give " + numeric + " (ε) and " + closer + " (ε/8)");
                        }
                    }
                    checked++;
                    if (Math.abs(numeric) > 1e-3) {
                        nonZero++;
                    }
                }
            }
            m.setParameters(p);
            assertTrue(retried <= checked / 20, name + ": " + retried + " of " + checked + " elements needed the retry");
            assertTrue(nonZero > checked / 4, name + ": only " + nonZero + " of " + checked
                    + " gradients are clearly non-zero; the check would be too weak");
        }
    }

    /**
     * Central difference of the loss in element i of {@code values} (a tensor of {@code p}). The loss is the training
     * loss with the same dropout seed; only its value is used, never its gradients.
     */
    private static double numeric(Model m, Parameters p, Batch batch, float[] values, int i, float eps) {
        float keep = values[i];
        values[i] = keep + eps;
        m.setParameters(p);
        double up = m.lossAndGradients(batch, null, SEED).loss();
        values[i] = keep - eps;
        m.setParameters(p);
        double down = m.lossAndGradients(batch, null, SEED).loss();
        values[i] = keep;
        return (up - down) / (2 * eps);
    }
}
