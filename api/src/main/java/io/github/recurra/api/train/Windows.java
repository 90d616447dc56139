package io.github.recurra.api.train;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.tensor.Tensor;

/** Cuts a batch into time windows (for truncated BPTT). */
final class Windows {

    private Windows() {
    }

    /**
     * Steps [from, to) of every sequence, with their per-step labels or targets (last-step labels and targets are
     * kept whole: they belong to the sequence's end).
     */
    static Batch slice(Batch b, int from, int to) {
        int n = b.size();
        int t = b.timeSteps();
        int len = to - from;
        Tensor x = sliceSteps(b.inputs(), n, t, from, len);
        int[] labels = b.labels();
        if (labels != null && labels.length == n * t) {
            int[] l = new int[n * len];
            for (int i = 0; i < n; i++) {
                System.arraycopy(labels, i * t + from, l, i * len, len);
            }
            labels = l;
        }
        Tensor targets = b.targets();
        if (targets != null && targets.rank() == 3) {
            targets = sliceSteps(targets, n, t, from, len);
        }
        return new Batch(x, labels, targets, null);
    }

    private static Tensor sliceSteps(Tensor src, int n, int t, int from, int len) {
        int f = src.dim(2);
        float[] out = new float[n * len * f];
        for (int i = 0; i < n; i++) {
            System.arraycopy(src.data(), (i * t + from) * f, out, i * len * f, len * f);
        }
        return Tensor.wrap(out, n, len, f);
    }
}
