package io.github.recurra.api.train;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.spi.TrainingSession;
import io.github.recurra.api.spi.TrainingStep;
import java.util.SplittableRandom;

/**
 * Truncated backpropagation through time: each batch is cut into windows of {@code forward} steps; each window is one
 * optimizer update whose gradients reach back only its last {@code backward} steps (its first
 * {@code forward − backward} steps run forwards only), and the state at the end of a window is carried into the next
 * as a constant. Every layer must read forwards. The forward-only steps (the start of a window, and for a last-step
 * head every window but the last) run in training mode, with dropout. A per-step head is trained on the steps of each
 * backward window; a last-step head only in the last window. With per-example lengths (per-step heads only), a window
 * holds the examples that still have steps in it, with their lengths cut to the window.
 *
 * @param forward  steps per window, at least 1
 * @param backward steps the gradients reach back, in [1, forward]
 */
public record TruncatedBptt(int forward, int backward) {

    /**
     * Validates.
     *
     * @param forward  steps per window, at least 1
     * @param backward steps the gradients reach back, in [1, forward]
     */
    public TruncatedBptt {
        if (forward < 1 || backward < 1 || backward > forward) {
            throw new IllegalArgumentException("truncated BPTT needs 1 <= backward <= forward but was forward "
                    + forward + ", backward " + backward);
        }
    }

    /**
     * What {@link #train} did with one batch.
     *
     * @param loss         the mean loss over the window updates (or the refused window's loss)
     * @param accuracy     the mean accuracy over them, NaN for regression
     * @param gradientNorm the mean global gradient norm before clipping (or the refused window's)
     * @param applied      false if a window's update was refused as non-finite; the windows before it were applied
     *                     and the batch's remaining windows were not run
     */
    public record Outcome(double loss, double accuracy, double gradientNorm, boolean applied) {
    }

    /**
     * Checks before any work that truncated BPTT can train this network on this data.
     *
     * @param network the network
     * @param data    the training set
     * @throws IllegalArgumentException if a layer is reverse or bidirectional, or the data has per-example lengths
     *                                  and the head is not per-step
     */
    public void check(Network network, Dataset data) {
        for (int k = 0; k < network.layers().size(); k++) {
            if (network.layers().get(k).direction() != Direction.FORWARD) {
                throw new IllegalArgumentException("truncated BPTT carries states forwards from window to window, "
                        + "but layer " + k + " is " + network.layers().get(k).direction().onnxName()
                        + "; train it on whole sequences");
            }
        }
        if (data.hasLengths() && network.requireHead().target() != Head.Target.EVERY_STEP) {
            throw new IllegalArgumentException(LENGTHS_NEED_PER_STEP_HEAD);
        }
    }

    private static final String LENGTHS_NEED_PER_STEP_HEAD = "truncated BPTT with per-example lengths needs a per-step "
            + "head: a last-step head would put each example's loss in a different window";

    /**
     * Trains on one batch, window by window, through the session: {@link TrainingSession#step} for each window with
     * gradients, {@link Model#forwardTraining} for the forward-only steps. The dropout seeds of the windows are drawn
     * in order from {@code seed}.
     *
     * @param session the training session
     * @param batch   the batch, time steps as long as the data's
     * @param seed    the step's seed
     * @return the means over the updates, or the refused window's values
     */
    public Outcome train(TrainingSession session, Batch batch, long seed) {
        Model model = session.model();
        Head head = model.network().requireHead();
        boolean perStep = head.target() == Head.Target.EVERY_STEP;
        if (batch.lengths() != null && !perStep) {
            throw new IllegalArgumentException(LENGTHS_NEED_PER_STEP_HEAD);
        }
        int time = batch.timeSteps();
        States carried = Windows.zeroStates(model.network(), batch.size());
        SplittableRandom windowSeeds = new SplittableRandom(seed);
        double[] sum = new double[3];
        int updates = 0;
        for (int start = 0; start < time; start += forward) {
            int end = Math.min(time, start + forward);
            int back = Math.max(start, end - backward);
            if (back > start) {
                int[] rows = Windows.activeRows(batch, start);
                if (rows.length > 0) {
                    Batch prefix = Windows.slice(batch, rows, start, back);
                    States out = model.forwardTraining(prefix, Windows.gather(carried, rows), windowSeeds.nextLong())
                            .finalStates();
                    Windows.scatter(out, rows, carried);
                }
            }
            int[] rows = Windows.activeRows(batch, back);
            if (rows.length == 0) {
                continue;
            }
            Batch window = Windows.slice(batch, rows, back, end);
            States initial = Windows.gather(carried, rows);
            if (perStep || end == time) {
                TrainingStep s = session.step(window, initial, windowSeeds.nextLong());
                if (!s.applied()) {
                    return new Outcome(s.loss(), Double.NaN, s.gradientNorm(), false);
                }
                Windows.scatter(s.finalStates(), rows, carried);
                sum[0] += s.loss();
                sum[1] += Metrics.accuracy(head, s.logits(), window);
                sum[2] += s.gradientNorm();
                updates++;
            } else {
                Windows.scatter(model.forwardTraining(window, initial, windowSeeds.nextLong()).finalStates(), rows,
                        carried);
            }
        }
        int n = Math.max(1, updates);
        return new Outcome(sum[0] / n, sum[1] / n, sum[2] / n, true);
    }
}
