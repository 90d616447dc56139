package io.github.recurra.conformance;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A golden file turned into what a backend runs: the network, its parameters, the batch, the initial states and the
 * expected values. Reads both layouts the generator writes: single-layer cell cases (top-level {@code W}, {@code R},
 * {@code B}, {@code P}, {@code h0}) and sequence cases (a {@code params} object with canonical names, per-layer
 * {@code h0}/{@code hT} objects, a direction and a layer count; for a network with a last-step head optionally
 * {@code merge}, how the last layer's two directions are merged, and {@code lastStep}, what that layer outputs:
 * {@code final_states} when absent, or {@code last_time_index} for PyTorch's {@code y[:, -1, :]}).
 */
final class GoldenCase {
    final Golden golden;
    final Network network;
    final Parameters parameters;
    final Batch batch;
    final States initial;

    private GoldenCase(Golden g) {
        this.golden = g;
        this.network = network(g);
        this.parameters = parameters(g, network);
        this.batch = batch(g, network);
        this.initial = initial(g, network);
    }

    static GoldenCase load(String name) {
        return new GoldenCase(Golden.load(name));
    }

    String name() {
        return golden.name();
    }

    private boolean sequenceLayout() {
        return golden.has("params");
    }

    /** @return expected outputs of the last layer, batch-major */
    float[] y() {
        return golden.floats("y");
    }

    /**
     * @return expected output of a last layer that returns its last step ({@code yLast}, {@code [batch, features]}:
     *         the input of the head)
     */
    float[] yLast() {
        return golden.floats("yLast");
    }

    /** @return expected final hidden state of layer k, {@code [dirs, batch, hidden]} */
    float[] hT(int k) {
        return sequenceLayout() ? golden.floats("hT", "layer" + k) : golden.floats("hT");
    }

    /** @return expected final cell state of layer k, or null without one */
    float[] cT(int k) {
        if (!golden.has("cT")) {
            return null;
        }
        return sequenceLayout() ? golden.floats("cT", "layer" + k) : golden.floats("cT");
    }

    /** @return the expected gradient of each canonical parameter */
    Map<String, float[]> gradients() {
        Map<String, float[]> out = new LinkedHashMap<>();
        if (golden.has("grads")) {
            for (String p : golden.keys("grads")) {
                out.put(p, golden.floats("grads", p));
            }
        } else {
            out.put(Parameters.w(0), golden.floats("gradW"));
            out.put(Parameters.r(0), golden.floats("gradR"));
            out.put(Parameters.b(0), golden.floats("gradB"));
            if (golden.has("gradP")) {
                out.put(Parameters.p(0), golden.floats("gradP"));
            }
            out.put(Parameters.HEAD_W, golden.floats("gradHeadW"));
            out.put(Parameters.HEAD_B, golden.floats("gradHeadB"));
        }
        return out;
    }

    private static Network network(Golden g) {
        Direction dir = g.has("direction")
                ? Direction.valueOf(g.text("direction").toUpperCase(Locale.ROOT)) : Direction.FORWARD;
        int layers = g.has("layers") ? g.integer("layers") : 1;
        Head head = null;
        if (g.has("head")) {
            String h = g.text("head");
            boolean mse = h.endsWith("mse");
            head = Head.of(g.integer(mse ? "outputs" : "classes"),
                    h.startsWith("every") ? Head.Target.EVERY_STEP : Head.Target.LAST_STEP,
                    mse ? Head.Loss.MEAN_SQUARED_ERROR : Head.Loss.SOFTMAX_CROSS_ENTROPY);
        } else if (g.has("classes")) {
            head = Head.classifier(g.integer("classes"));
        }
        // PyTorch concatenates the directions between layers; a case's merge is that of the head's input
        MergeMode merge = g.has("merge") ? MergeMode.valueOf(g.text("merge").toUpperCase(Locale.ROOT))
                : MergeMode.CONCAT;
        LastStep lastStep = g.has("lastStep") ? LastStep.valueOf(g.text("lastStep").toUpperCase(Locale.ROOT))
                : LastStep.FINAL_STATES;
        Network.Builder b = Network.builder(g.integer("input"));
        for (int k = 0; k < layers; k++) {
            boolean top = k == layers - 1;
            boolean seq = !top || head == null || head.target() == Head.Target.EVERY_STEP;
            Sequence.Builder s = Sequence.builder(g.cell()).direction(dir).returnSequences(seq);
            if (top) {
                s.mergeMode(merge);
                if (!seq) {
                    s.lastStep(lastStep);
                }
            }
            b.layer(s.build());
        }
        if (head != null) {
            b.head(head);
        }
        return b.build();
    }

    private static Parameters parameters(Golden g, Network net) {
        Parameters p = Parameters.zerosFor(net);
        if (g.has("params")) {
            for (String name : g.keys("params")) {
                copy(g.floats("params", name), p.get(name), g, name);
            }
        } else {
            copy(g.floats("W"), p.get(Parameters.w(0)), g, "W");
            copy(g.floats("R"), p.get(Parameters.r(0)), g, "R");
            copy(g.floats("B"), p.get(Parameters.b(0)), g, "B");
            if (p.contains(Parameters.p(0))) {
                copy(g.floats("P"), p.get(Parameters.p(0)), g, "P");
            }
        }
        if (p.contains(Parameters.HEAD_W)) {
            copy(g.floats("headW"), p.get(Parameters.HEAD_W), g, "headW");
            copy(g.floats("headB"), p.get(Parameters.HEAD_B), g, "headB");
        }
        return p;
    }

    private static void copy(float[] src, Tensor dst, Golden g, String what) {
        if (src.length != dst.size()) {
            throw new IllegalStateException(g.name() + ": golden array " + what + " has " + src.length
                    + " values but the parameter " + dst.shapeString() + " needs " + dst.size());
        }
        System.arraycopy(src, 0, dst.data(), 0, src.length);
    }

    private static Batch batch(Golden g, Network net) {
        int b = g.integer("batch");
        int t = g.integer("time");
        Tensor x = Tensor.of(g.floats("x"), b, t, g.integer("input"));
        int[] lengths = g.has("lengths") ? g.ints("lengths") : null;
        int[] labels = g.has("labels") ? g.ints("labels") : null;
        Tensor targets = null;
        if (g.has("targets")) {
            Head head = net.requireHead();
            targets = head.target() == Head.Target.EVERY_STEP ? Tensor.of(g.floats("targets"), b, t, head.outputs())
                    : Tensor.of(g.floats("targets"), b, head.outputs());
        }
        return new Batch(x, labels, targets, lengths);
    }

    private static States initial(Golden g, Network net) {
        if (!g.has("h0")) {
            return null;
        }
        List<Tensor> h = new ArrayList<>();
        List<Tensor> c = new ArrayList<>();
        int b = g.integer("batch");
        for (int k = 0; k < net.layers().size(); k++) {
            Sequence s = net.layers().get(k);
            int[] shape = {s.direction().count(), b, s.cell().hiddenSize()};
            if (g.has("params")) {
                h.add(Tensor.of(g.floats("h0", "layer" + k), shape));
                c.add(g.has("c0") ? Tensor.of(g.floats("c0", "layer" + k), shape) : null);
            } else {
                h.add(Tensor.of(g.floats("h0"), shape));
                c.add(g.has("c0") ? Tensor.of(g.floats("c0"), shape) : null);
            }
        }
        return new States(h, c);
    }

    @Override
    public String toString() {
        return name();
    }
}
