package io.github.recurra.api.train;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.spi.InputChecks;
import io.github.recurra.api.tensor.Ops;
import io.github.recurra.api.tensor.Tensor;

/**
 * Loss and accuracy of a head's outputs against a batch, computed here from the logits so that they mean the same on
 * every backend, including those that only infer. Steps at or past an example's length do not count.
 */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The head's training loss: mean softmax cross-entropy over examples (last step) or valid steps (every step), or
     * mean squared error over those and the outputs. Sums run in double.
     *
     * @param head   the head
     * @param logits {@code [batch, outputs]} or {@code [batch, time, outputs]}
     * @param batch  labels or targets, and lengths
     * @return the mean loss
     */
    public static double loss(Head head, Tensor logits, Batch batch) {
        check(head, logits, batch);
        int c = head.outputs();
        float[] x = logits.data();
        double sum = 0;
        long count = 0;
        boolean mse = head.loss() == Head.Loss.MEAN_SQUARED_ERROR;
        float[] targets = mse ? batch.requireTargets().data() : null;
        int[] labels = batch.labels();
        for (int[] at : positions(head, batch)) {
            int row = at[0];
            if (mse) {
                for (int j = 0; j < c; j++) {
                    double e = x[row * c + j] - targets[row * c + j];
                    sum += e * e;
                }
                count += c;
            } else {
                sum += Ops.crossEntropy(x, row * c, c, labels[row], null, 0f);
                count++;
            }
        }
        return sum / count;
    }

    /**
     * How many counted positions (examples, or valid steps) a classifier gets right.
     *
     * @param head   a softmax classifier head
     * @param logits as {@link #loss}
     * @param batch  labels and lengths
     * @return {correct, counted}
     */
    public static long[] correct(Head head, Tensor logits, Batch batch) {
        check(head, logits, batch);
        int[] labels = batch.labels();
        long right = 0;
        long count = 0;
        for (int[] at : positions(head, batch)) {
            right += Ops.argmaxRow(logits.data(), at[0], head.outputs()) == labels[at[0]] ? 1 : 0;
            count++;
        }
        return new long[] {right, count};
    }

    /** @return the fraction of counted positions a classifier gets right, NaN for a regression head */
    static double accuracy(Head head, Tensor logits, Batch batch) {
        if (head.loss() != Head.Loss.SOFTMAX_CROSS_ENTROPY) {
            return Double.NaN;
        }
        long[] c = correct(head, logits, batch);
        return c[0] / (double) c[1];
    }

    /** Checks the logits' shape and the batch's labels or targets against the head. */
    private static void check(Head head, Tensor logits, Batch batch) {
        int[] want = head.target() == Head.Target.EVERY_STEP
                ? new int[] {batch.size(), batch.timeSteps(), head.outputs()} : new int[] {batch.size(), head.outputs()};
        if (!java.util.Arrays.equals(logits.shape(), want)) {
            throw new IllegalArgumentException("logits have shape " + logits.shapeString() + " but the head and batch "
                    + "need " + java.util.Arrays.toString(want));
        }
        InputChecks.checkTargets(head, batch);
    }

    /** The flat row indices (into logits, labels and targets) that count. */
    private static Iterable<int[]> positions(Head head, Batch batch) {
        int b = batch.size();
        int t = batch.timeSteps();
        java.util.List<int[]> out = new java.util.ArrayList<>();
        if (head.target() == Head.Target.EVERY_STEP) {
            for (int i = 0; i < b; i++) {
                for (int s = 0; s < batch.length(i); s++) {
                    out.add(new int[] {i * t + s});
                }
            }
        } else {
            for (int i = 0; i < b; i++) {
                out.add(new int[] {i});
            }
        }
        return out;
    }
}
