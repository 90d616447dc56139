package io.github.recurra.api.train;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Cuts batches into time windows and moves states between a batch and its sub-batches (for truncated BPTT). */
final class Windows {

    private Windows() {
    }

    /** @return the rows that still have valid steps at step {@code from} */
    static int[] activeRows(Batch b, int from) {
        int n = 0;
        int[] rows = new int[b.size()];
        for (int i = 0; i < b.size(); i++) {
            if (b.length(i) > from) {
                rows[n++] = i;
            }
        }
        return java.util.Arrays.copyOf(rows, n);
    }

    /** Steps [from, to) of every sequence (no lengths: all rows run the whole window). */
    static Batch slice(Batch b, int from, int to) {
        int[] all = new int[b.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return slice(b, all, from, to);
    }

    /**
     * Steps [from, to) of the given rows, with their per-step labels or targets and their lengths cut to the window
     * (last-step labels and targets are kept whole: they belong to the sequence's end).
     */
    static Batch slice(Batch b, int[] rows, int from, int to) {
        int t = b.timeSteps();
        int len = to - from;
        int n = rows.length;
        Tensor x = sliceSteps(b.inputs(), rows, t, from, len);
        int[] labels = b.labels();
        if (labels != null) {
            boolean perStep = labels.length == b.size() * t;
            int[] l = new int[perStep ? n * len : n];
            for (int i = 0; i < n; i++) {
                if (perStep) {
                    System.arraycopy(labels, rows[i] * t + from, l, i * len, len);
                } else {
                    l[i] = labels[rows[i]];
                }
            }
            labels = l;
        }
        Tensor targets = b.targets();
        if (targets != null) {
            if (targets.rank() == 3) {
                targets = sliceSteps(targets, rows, t, from, len);
            } else {
                int c = targets.dim(1);
                float[] y = new float[n * c];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(targets.data(), rows[i] * c, y, i * c, c);
                }
                targets = Tensor.wrap(y, n, c);
            }
        }
        int[] lengths = null;
        if (b.lengths() != null) {
            lengths = new int[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = Math.min(len, b.length(rows[i]) - from);
            }
        }
        return new Batch(x, labels, targets, lengths);
    }

    private static Tensor sliceSteps(Tensor src, int[] rows, int t, int from, int len) {
        int f = src.dim(2);
        float[] out = new float[rows.length * len * f];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(src.data(), (rows[i] * t + from) * f, out, i * len * f, len * f);
        }
        return Tensor.wrap(out, rows.length, len, f);
    }

    /** Zero states for a batch of {@code n} rows. */
    static States zeroStates(Network net, int n) {
        List<Tensor> h = new ArrayList<>();
        List<Tensor> c = new ArrayList<>();
        for (Sequence s : net.layers()) {
            int dirs = s.direction().count();
            h.add(Tensor.zeros(dirs, n, s.cell().hiddenSize()));
            c.add(s.cell().hasCellState() ? Tensor.zeros(dirs, n, s.cell().hiddenSize()) : null);
        }
        return new States(h, c);
    }

    /** The given rows of every state tensor ({@code [dirs, batch, hidden]}). */
    static States gather(States all, int[] rows) {
        List<Tensor> h = new ArrayList<>();
        List<Tensor> c = new ArrayList<>();
        for (int k = 0; k < all.layers(); k++) {
            h.add(gather(all.hidden().get(k), rows));
            c.add(all.cell().get(k) == null ? null : gather(all.cell().get(k), rows));
        }
        return new States(h, c);
    }

    private static Tensor gather(Tensor s, int[] rows) {
        int dirs = s.dim(0);
        int n = s.dim(1);
        int h = s.dim(2);
        Tensor out = Tensor.zeros(dirs, rows.length, h);
        for (int d = 0; d < dirs; d++) {
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(s.data(), (d * n + rows[i]) * h, out.data(), (d * rows.length + i) * h, h);
            }
        }
        return out;
    }

    /** Writes a sub-batch's states back into the given rows of {@code all}. */
    static void scatter(States part, int[] rows, States all) {
        for (int k = 0; k < all.layers(); k++) {
            scatter(part.hidden().get(k), rows, all.hidden().get(k));
            if (all.cell().get(k) != null) {
                scatter(part.cell().get(k), rows, all.cell().get(k));
            }
        }
    }

    private static void scatter(Tensor part, int[] rows, Tensor all) {
        int dirs = all.dim(0);
        int n = all.dim(1);
        int h = all.dim(2);
        for (int d = 0; d < dirs; d++) {
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(part.data(), (d * rows.length + i) * h, all.data(), (d * n + rows[i]) * h, h);
            }
        }
    }
}
