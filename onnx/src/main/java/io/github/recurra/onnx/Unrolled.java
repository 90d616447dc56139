package io.github.recurra.onnx;

import static io.github.recurra.onnx.GraphBuilder.attr;
import static io.github.recurra.onnx.GraphBuilder.ints;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import java.util.ArrayList;
import java.util.List;

/**
 * The graph the backend runs instead of the exported standard one for RNN and GRU layers, where both compute the same:
 * the recurrence unrolled over a fixed number of steps T, a matrix product and a few element-wise operators per step.
 * ONNX Runtime's own {@code RNN} and {@code GRU} kernels are slow on batches (they use little of a second thread, and
 * its RNN kernel is 3 to 4 times slower than the unrolled graph on the reference workload); its {@code LSTM} kernel is
 * not, so LSTM layers always run the standard graph (the package documentation has the figures).
 *
 * <p>Inputs and outputs are those of the standard graph with final states and the output ({@link OnnxNames}): input
 * {@code [batch, T, features]}, optional initial states, every layer's final states, the last layer's output, the
 * logits. Time-major inside; per layer:
 * <pre>
 * input projection for all steps at once: XP = Gemm(X [T·batch, in], W_g, Wb_g + Rb_g, transB) [T, batch, n]
 * step t: x_t = Gather(XP, t) [batch, n]
 *   RNN: H = f(Gemm(H, R, x_t, transB))
 *   GRU: z|r = Sigmoid(Gemm(H, R_zr, x_zr_t, transB)), then
 *        linear before reset: n = Tanh(x_h_t + r ⊙ Gemm(H, R_h, Rb_h, transB))   (Rb_h stays inside)
 *        otherwise:           n = Tanh(Gemm(r ⊙ H, R_h, x_h_t, transB))
 *        H = n + z ⊙ (H − n)
 * from zero initial states the first step drops the terms that multiply them (they are exactly zero)
 * every step's H: Concat(Unsqueeze(H_t, 0)) [T, batch, H] for the layer above; Transpose for a sequence output
 * head: Gemm(last, head.W, head.B, transB), or MatMul(steps, head.Wᵀ) + head.B on every step
 * </pre>
 * The same arithmetic as the operators up to the order of float32 sums (the input and recurrent biases are added
 * together first, as ONNX Runtime's kernels do), so results agree with the standard graph to rounding.
 *
 * <p>Used only where that holds: every layer is an RNN (tanh, relu or sigmoid) or a GRU (sigmoid gates, tanh
 * candidate) that reads forwards, without cell clip (with or without returned sequences; the last time index then
 * equals the final state), and the call has no per-example lengths. Anything else runs on the standard graph.
 */
final class Unrolled {
    /** The longest sequence that gets an unrolled graph (the graph grows linearly with T). */
    static final int MAX_STEPS = 128;
    private static final int OPSET = 11;
    private static final int IR_VERSION = 6;

    private final Network network;
    private final Parameters params;
    private final int steps;
    private final boolean initialStates;
    private final GraphBuilder g = new GraphBuilder("recurra-unrolled");
    private final String[] stepIndex;

    private Unrolled(Network network, Parameters params, int steps, boolean initialStates) {
        this.network = network;
        this.params = params;
        this.steps = steps;
        this.initialStates = initialStates;
        this.stepIndex = new String[steps];
    }

    /**
     * @param network a network
     * @return whether its unrolled graph computes what its standard graph does (calls with lengths aside)
     */
    static boolean supports(Network network) {
        for (Sequence s : network.layers()) {
            if (s.direction() != Direction.FORWARD || s.cell().hasClip()) {
                return false;
            }
            Cell c = s.cell();
            if (c instanceof GruCell gru) {
                if (!gru.gateActivation().equals(Activation.sigmoid())
                        || !gru.candidateActivation().equals(Activation.tanh())) {
                    return false;
                }
            } else if (c instanceof RnnCell rnn) {
                Activation a = rnn.activation();
                if (!a.equals(Activation.tanh()) && !a.equals(Activation.relu()) && !a.equals(Activation.sigmoid())) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    /** @return whether a network has a GRU layer */
    static boolean hasGru(Network network) {
        return network.layers().stream().anyMatch(s -> s.cell() instanceof GruCell);
    }

    /**
     * @param network       a network that {@link #supports}
     * @param parameters    its parameters
     * @param steps         T, 1 to {@link #MAX_STEPS}
     * @param initialStates whether the graph takes initial states
     * @return the serialized model
     */
    static byte[] build(Network network, Parameters parameters, int steps, boolean initialStates) {
        if (!supports(network) || steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("no unrolled graph of " + steps + " steps for " + network);
        }
        return new Unrolled(network, parameters, steps, initialStates).build();
    }

    private byte[] build() {
        g.input(OnnxNames.INPUT, GraphBuilder.FLOAT, "batch", steps, network.inputSize());
        for (int t = 0; t < steps; t++) {
            stepIndex[t] = g.longs("t" + t, new long[] {t});
        }
        String x = g.op("Transpose", List.of(OnnxNames.INPUT), ints("perm", 1, 0, 2));
        int layers = network.layers().size();
        String last = null;
        for (int k = 0; k < layers; k++) {
            Sequence s = network.layers().get(k);
            boolean sequence = k < layers - 1 || s.returnSequences();
            Layer out = layer(k, s, x, sequence);
            x = out.sequence;
            last = out.last;
        }
        boolean seqOut = network.layers().get(layers - 1).returnSequences();
        String output = seqOut ? g.op("Transpose", List.of(x), ints("perm", 1, 0, 2)) : last;
        g.node("Identity", List.of(output), List.of(OnnxNames.OUTPUT));
        if (seqOut) {
            g.output(OnnxNames.OUTPUT, GraphBuilder.FLOAT, "batch", steps, network.outputSize());
        } else {
            g.output(OnnxNames.OUTPUT, GraphBuilder.FLOAT, "batch", network.outputSize());
        }
        network.head().ifPresent(h -> head(h, output));
        return g.model(OPSET, IR_VERSION, OnnxFormat.PRODUCER);
    }

    private void head(Head head, String input) {
        int f = network.outputSize();
        int c = head.outputs();
        float[] w = params.get(Parameters.HEAD_W).data();
        String hb = g.floats("head.B", params.get(Parameters.HEAD_B).data(), c);
        if (head.target() == Head.Target.EVERY_STEP) {
            String wt = g.floats("head.Wt", transpose(w, 0, c, f), f, c);
            String mm = g.op("MatMul", List.of(input, wt));
            g.node("Add", List.of(mm, hb), List.of(OnnxNames.LOGITS));
            g.output(OnnxNames.LOGITS, GraphBuilder.FLOAT, "batch", steps, c);
        } else {
            String hw = g.floats("head.W", w, c, f);
            g.node("Gemm", List.of(input, hw, hb), List.of(OnnxNames.LOGITS), attr("transB", 1L));
            g.output(OnnxNames.LOGITS, GraphBuilder.FLOAT, "batch", c);
        }
    }

    /** A layer's results: every step's output [T, batch, H] (null unless asked for) and its last step [batch, H]. */
    private record Layer(String sequence, String last) {
    }

    private Layer layer(int k, Sequence s, String x, boolean sequence) {
        Cell c = s.cell();
        int h = c.hiddenSize();
        int in = network.layerInputSize(k);
        float[] w = params.get(Parameters.w(k)).data();
        float[] r = params.get(Parameters.r(k)).data();
        float[] b = params.get(Parameters.b(k)).data();
        String hPrev = null;
        if (initialStates) {
            g.input(OnnxNames.initialH(k), GraphBuilder.FLOAT, 1, "batch", h);
            hPrev = g.op("Squeeze", List.of(OnnxNames.initialH(k)), ints("axes", 0));
        }
        List<String> hs = new ArrayList<>();
        if (c instanceof RnnCell rnn) {
            List<String> xp = steps(projection(x, w, b, in, h, 0, 1, true));
            String rAll = g.floats("layer" + k + ".R", r, h, h);
            String act = rnn.activation().onnxName();
            for (int t = 0; t < steps; t++) {
                String pre = hPrev == null ? xp.get(t) : gemm(hPrev, rAll, xp.get(t));
                hPrev = g.op(act, List.of(pre));
                hs.add(hPrev);
            }
        } else {
            hPrev = gru(k, (GruCell) c, x, w, r, b, in, hPrev, hs);
        }
        g.node("Unsqueeze", List.of(hPrev), List.of(OnnxNames.finalH(k)), ints("axes", 0));
        g.output(OnnxNames.finalH(k), GraphBuilder.FLOAT, 1, "batch", h);
        String seq = null;
        if (sequence) {
            List<String> parts = new ArrayList<>();
            for (String ht : hs) {
                parts.add(g.op("Unsqueeze", List.of(ht), ints("axes", 0)));
            }
            seq = parts.size() == 1 ? parts.get(0) : g.op("Concat", parts, attr("axis", 0L));
        }
        return new Layer(seq, hPrev);
    }

    /** Adds a GRU layer's steps; returns its last hidden state, and adds every step's to {@code hs}. */
    private String gru(int k, GruCell cell, String x, float[] w, float[] r, float[] b, int in, String hPrev,
            List<String> hs) {
        // gates z r h: the z|r block of the input projection carries both biases; the h block Wb_h, plus Rb_h
        // unless the reset applies after the recurrent product (then Rb_h stays inside r ⊙ (H R_h + Rb_h))
        int h = cell.hiddenSize();
        int gh = 3 * h;
        boolean after = cell.linearBeforeReset();
        List<String> xzr = steps(projection(x, w, b, in, h, 0, 2, true));
        List<String> xh = steps(projection(x, w, b, in, h, 2, 1, !after));
        String rbh = g.floats("layer" + k + ".Rb_h", slice(b, gh + 2 * h, h), h);
        String rzr = g.floats("layer" + k + ".R_zr", slice(r, 0, 2 * h * h), 2 * h, h);
        String rh = g.floats("layer" + k + ".R_h", slice(r, 2 * h * h, h * h), h, h);
        for (int t = 0; t < steps; t++) {
            String zrPre = hPrev == null ? xzr.get(t) : gemm(hPrev, rzr, xzr.get(t));
            String z = g.fresh("z");
            String rg = g.fresh("r");
            g.node("Split", List.of(g.op("Sigmoid", List.of(zrPre))), List.of(z, rg), attr("axis", 1L),
                    ints("split", h, h));
            String n;
            if (after) {
                String hh = hPrev == null ? rbh : gemm(hPrev, rh, rbh);
                n = g.op("Tanh", List.of(g.op("Add", List.of(xh.get(t), g.op("Mul", List.of(rg, hh))))));
            } else if (hPrev == null) {
                n = g.op("Tanh", List.of(xh.get(t)));
            } else {
                n = g.op("Tanh", List.of(gemm(g.op("Mul", List.of(rg, hPrev)), rh, xh.get(t))));
            }
            // (1 − z) ⊙ n + z ⊙ H, as n + z ⊙ (H − n); from zero, n − z ⊙ n
            hPrev = hPrev == null ? g.op("Sub", List.of(n, g.op("Mul", List.of(z, n))))
                    : g.op("Add", List.of(n, g.op("Mul", List.of(z, g.op("Sub", List.of(hPrev, n))))));
            hs.add(hPrev);
        }
        return hPrev;
    }

    /** a · bᵀ + c, with b a [n, k] initializer and c [n] or [batch, n]. */
    private String gemm(String a, String b, String c) {
        return g.op("Gemm", List.of(a, b, c), attr("transB", 1L));
    }

    /** Each step's slice [batch, n] of a time-major projection [T, batch, n]. */
    private List<String> steps(String xp) {
        List<String> out = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            out.add(g.op("Gather", List.of(xp, stepIndex[t]), attr("axis", 0L)));
        }
        return out;
    }

    /**
     * The input projection of gates [first, first + count) for all steps at once, as one Gemm over the steps and
     * the batch: X W_gᵀ + Wb_g (+ Rb_g).
     *
     * @param x             [T, batch, in]
     * @param w             the layer's W [1, G·H, in]
     * @param b             its B [1, 2·G·H]
     * @param recurrentBias whether Rb_g is added here too
     * @return [T, batch, count·H]
     */
    private String projection(String x, float[] w, float[] b, int in, int h, int first, int count,
            boolean recurrentBias) {
        int gh = b.length / 2;
        int n = count * h;
        float[] bias = slice(b, first * h, n);
        if (recurrentBias) {
            for (int j = 0; j < n; j++) {
                bias[j] += b[gh + first * h + j];
            }
        }
        String flat = g.op("Reshape", List.of(x, g.longs("shape", new long[] {-1, in}, 2)));
        String product = gemm(flat, g.floats("W", slice(w, first * h * in, n * in), n, in), g.floats("bias", bias, n));
        return g.op("Reshape", List.of(product, g.longs("shape", new long[] {steps, -1, n}, 3)));
    }

    /** Rows [row, row + count) of a row-major matrix with {@code cols} columns, transposed: [cols, count]. */
    private static float[] transpose(float[] m, int row, int count, int cols) {
        float[] t = new float[count * cols];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * count + i] = m[(row + i) * cols + j];
            }
        }
        return t;
    }

    private static float[] slice(float[] v, int from, int count) {
        float[] s = new float[count];
        System.arraycopy(v, from, s, 0, count);
        return s;
    }
}
