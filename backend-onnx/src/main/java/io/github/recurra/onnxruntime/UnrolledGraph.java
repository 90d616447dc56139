package io.github.recurra.onnxruntime;

import static io.github.recurra.onnxruntime.GraphBuilder.attr;
import static io.github.recurra.onnxruntime.GraphBuilder.ints;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.onnx.OnnxNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The graph the backend runs instead of the exported standard one where both compute the same: the recurrence
 * unrolled over a fixed number of steps T, with matrix products and activations per step. ONNX Runtime's own
 * {@code GRU} and {@code RNN} kernels use little of a second thread on this workload (see the package documentation
 * for the figures); unrolled, every product runs on ONNX Runtime's threaded GEMM.
 *
 * <p>Inputs and outputs are those of the standard graph with final states and the output ({@link OnnxNames}): input
 * {@code [batch, T, features]}, optional initial states, every layer's final states, the last layer's output, the
 * logits. Per layer, batch-major throughout:
 * <pre>
 * input projection, once for all steps: XP = MatMul(X [batch, T, in], Wᵀ) + (Wb + Rb) [batch, T, G·H]
 * step t: x_t = Gather(XP, t, axis 1) [batch, G·H]
 *   RNN:  H = f(Gemm(H, R, x_t, transB))
 *   GRU:  z|r = Sigmoid(Gemm(H, R_zr, x_zr_t, transB)), then
 *         linear before reset: n = Tanh(x_h_t + r ⊙ Gemm(H, R_h, Rb_h, transB)) (Rb_h stays inside)
 *         otherwise:           n = Tanh(Gemm(r ⊙ H, R_h, x_h_t, transB))
 *         H = n + z ⊙ (H − n)
 *   LSTM: G = Gemm(H, R, x_t, transB); i|o|f = Sigmoid(G[:, :3H]), c = Tanh(G[:, 3H:]);
 *         C = f ⊙ C + i ⊙ c; H = o ⊙ Tanh(C)
 * with zero initial states the first step drops the terms that multiply them (exactly zero)
 * every step's H: Concat(Unsqueeze(H_t, 1)) [batch, T, H] for the layer above or a sequence output
 * head: Gemm(last, head.W, head.B, transB) or MatMul(steps, head.Wᵀ) + head.B
 * </pre>
 * The same arithmetic as the operators up to the order of the sums (ONNX Runtime adds the input and recurrent biases
 * first too), so results agree with the standard graph to float32 rounding.
 *
 * <p>Used only where that holds: every layer reads forwards (with or without returned sequences; the last step is the
 * last time index, which then equals the final state), no cell clip, LSTMs without peepholes or coupled gate, sigmoid
 * gates and tanh candidates (RNN: tanh, relu or sigmoid), and no per-example lengths in the call. Anything else runs
 * on the standard graph.
 */
final class UnrolledGraph {
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

    private UnrolledGraph(Network network, Parameters params, int steps, boolean initialStates) {
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
            if (c instanceof LstmCell l) {
                if (l.hasPeepholes() || l.coupledInputForget() || !l.gateActivation().equals(Activation.sigmoid())
                        || !l.cellActivation().equals(Activation.tanh())
                        || !l.outputActivation().equals(Activation.tanh())) {
                    return false;
                }
            } else if (c instanceof GruCell gru) {
                if (!gru.gateActivation().equals(Activation.sigmoid())
                        || !gru.candidateActivation().equals(Activation.tanh())) {
                    return false;
                }
            } else {
                Activation a = ((RnnCell) c).activation();
                if (!a.equals(Activation.tanh()) && !a.equals(Activation.relu()) && !a.equals(Activation.sigmoid())) {
                    return false;
                }
            }
        }
        return true;
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
        return new UnrolledGraph(network, parameters, steps, initialStates).build();
    }

    private byte[] build() {
        g.input(OnnxNames.INPUT, GraphBuilder.FLOAT, "batch", steps, network.inputSize());
        for (int t = 0; t < steps; t++) {
            stepIndex[t] = g.longs("t" + t, new long[] {t});
        }
        String x = OnnxNames.INPUT;
        int layers = network.layers().size();
        String last = null;
        for (int k = 0; k < layers; k++) {
            Sequence s = network.layers().get(k);
            boolean top = k == layers - 1;
            boolean sequence = !top || s.returnSequences();
            Layer out = layer(k, s, x, sequence);
            x = out.sequence;
            last = out.last;
        }
        Sequence top = network.layers().get(layers - 1);
        String output = top.returnSequences() ? x : last;
        g.node("Identity", List.of(output), List.of(OnnxNames.OUTPUT));
        if (top.returnSequences()) {
            g.output(OnnxNames.OUTPUT, GraphBuilder.FLOAT, "batch", steps, network.outputSize());
        } else {
            g.output(OnnxNames.OUTPUT, GraphBuilder.FLOAT, "batch", network.outputSize());
        }
        network.head().ifPresent(h -> head(h, output));
        return g.model(OPSET, IR_VERSION, "recurra-onnxruntime");
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

    /** A layer's results: its every-step output [batch, T, H] (null unless asked for) and its last step [batch, H]. */
    private record Layer(String sequence, String last) {
    }

    private Layer layer(int k, Sequence s, String x, boolean sequence) {
        Cell c = s.cell();
        int h = c.hiddenSize();
        int in = network.layerInputSize(k);
        float[] w = params.get(Parameters.w(k)).data();
        float[] r = params.get(Parameters.r(k)).data();
        float[] b = params.get(Parameters.b(k)).data();
        int gh = c.gates() * h;
        String hPrev = null;
        String cPrev = null;
        if (initialStates) {
            g.input(OnnxNames.initialH(k), GraphBuilder.FLOAT, 1, "batch", h);
            hPrev = g.op("Squeeze", List.of(OnnxNames.initialH(k)), ints("axes", 0));
            if (c.hasCellState()) {
                g.input(OnnxNames.initialC(k), GraphBuilder.FLOAT, 1, "batch", h);
                cPrev = g.op("Squeeze", List.of(OnnxNames.initialC(k)), ints("axes", 0));
            }
        }
        List<String> hs = new ArrayList<>();
        if (c instanceof RnnCell rnn) {
            String xp = projection(x, w, b, in, h, 0, 1, true);
            String rAll = g.floats("layer" + k + ".R", r, h, h);
            String act = rnn.activation().onnxName();
            for (int t = 0; t < steps; t++) {
                String xt = g.op("Gather", List.of(xp, stepIndex[t]), attr("axis", 1L));
                String pre = hPrev == null ? xt : g.op("Gemm", List.of(hPrev, rAll, xt), attr("transB", 1L));
                hPrev = g.op(act, List.of(pre));
                hs.add(hPrev);
            }
        } else if (c instanceof GruCell gru) {
            // gates z r h: the z|r block of the input projection carries both biases; the h block Wb_h, plus Rb_h
            // unless the reset applies after the recurrent product (then Rb_h stays inside r ⊙ (H R_h + Rb_h))
            boolean after = gru.linearBeforeReset();
            String xzr = projection(x, w, b, in, h, 0, 2, true);
            String xh = projection(x, w, b, in, h, 2, 1, !after);
            String rzr = g.floats("layer" + k + ".R_zr", rows(r, 0, 2 * h, h), 2 * h, h);
            String rh = g.floats("layer" + k + ".R_h", rows(r, 2 * h, h, h), h, h);
            String rbh = g.floats("layer" + k + ".Rb_h", slice(b, gh + 2 * h, h), h);
            for (int t = 0; t < steps; t++) {
                String xzrT = g.op("Gather", List.of(xzr, stepIndex[t]), attr("axis", 1L));
                String xhT = g.op("Gather", List.of(xh, stepIndex[t]), attr("axis", 1L));
                String zrPre = hPrev == null ? xzrT : g.op("Gemm", List.of(hPrev, rzr, xzrT), attr("transB", 1L));
                String zr = g.op("Sigmoid", List.of(zrPre));
                String z = g.fresh("z");
                String rg = g.fresh("r");
                g.node("Split", List.of(zr), List.of(z, rg), attr("axis", 1L), ints("split", h, h));
                String n;
                if (after) {
                    String hh = hPrev == null ? rbh : g.op("Gemm", List.of(hPrev, rh, rbh), attr("transB", 1L));
                    n = g.op("Tanh", List.of(g.op("Add", List.of(xhT, g.op("Mul", List.of(rg, hh))))));
                } else if (hPrev == null) {
                    n = g.op("Tanh", List.of(xhT));
                } else {
                    String rH = g.op("Mul", List.of(rg, hPrev));
                    n = g.op("Tanh", List.of(g.op("Gemm", List.of(rH, rh, xhT), attr("transB", 1L))));
                }
                // (1 − z) ⊙ n + z ⊙ H, as n + z ⊙ (H − n); from zero, n − z ⊙ n
                hPrev = hPrev == null ? g.op("Sub", List.of(n, g.op("Mul", List.of(z, n))))
                        : g.op("Add", List.of(n, g.op("Mul", List.of(z, g.op("Sub", List.of(hPrev, n))))));
                hs.add(hPrev);
            }
        } else {
            String xp = projection(x, w, b, in, h, 0, 4, true);
            String rAll = g.floats("layer" + k + ".R", r, gh, h);
            for (int t = 0; t < steps; t++) {
                String xt = g.op("Gather", List.of(xp, stepIndex[t]), attr("axis", 1L));
                String pre = hPrev == null ? xt : g.op("Gemm", List.of(hPrev, rAll, xt), attr("transB", 1L));
                String iof = g.fresh("iof");
                String cand = g.fresh("cand");
                g.node("Split", List.of(pre), List.of(iof, cand), attr("axis", 1L), ints("split", 3L * h, h));
                String gates = g.op("Sigmoid", List.of(iof));
                String i = g.fresh("i");
                String o = g.fresh("o");
                String f = g.fresh("f");
                g.node("Split", List.of(gates), List.of(i, o, f), attr("axis", 1L), ints("split", h, h, h));
                String ic = g.op("Mul", List.of(i, g.op("Tanh", List.of(cand))));
                cPrev = cPrev == null ? ic : g.op("Add", List.of(g.op("Mul", List.of(f, cPrev)), ic));
                hPrev = g.op("Mul", List.of(o, g.op("Tanh", List.of(cPrev))));
                hs.add(hPrev);
            }
        }
        g.node("Unsqueeze", List.of(hPrev), List.of(OnnxNames.finalH(k)), ints("axes", 0));
        g.output(OnnxNames.finalH(k), GraphBuilder.FLOAT, 1, "batch", h);
        if (c.hasCellState()) {
            g.node("Unsqueeze", List.of(cPrev), List.of(OnnxNames.finalC(k)), ints("axes", 0));
            g.output(OnnxNames.finalC(k), GraphBuilder.FLOAT, 1, "batch", h);
        }
        String seq = null;
        if (sequence) {
            List<String> parts = new ArrayList<>();
            for (String ht : hs) {
                parts.add(g.op("Unsqueeze", List.of(ht), ints("axes", 1)));
            }
            seq = parts.size() == 1 ? parts.get(0) : g.op("Concat", parts, attr("axis", 1L));
        }
        return new Layer(seq, hPrev);
    }

    /**
     * The input projection of gates [first, first + count) for all steps: MatMul(x, W_gᵀ) + Wb_g (+ Rb_g).
     *
     * @param x             [batch, T, in]
     * @param w             the layer's W [1, G·H, in]
     * @param b             its B [1, 2·G·H]
     * @param recurrentBias whether Rb_g is added here too
     * @return [batch, T, count·H]
     */
    private String projection(String x, float[] w, float[] b, int in, int h, int first, int count,
            boolean recurrentBias) {
        int gh = b.length / 2;
        int n = count * h;
        float[] wt = transpose(w, first * h, n, in);
        float[] bias = slice(b, first * h, n);
        if (recurrentBias) {
            for (int j = 0; j < n; j++) {
                bias[j] += b[gh + first * h + j];
            }
        }
        String mm = g.op("MatMul", List.of(x, g.floats("Wt", wt, in, n)));
        return g.op("Add", List.of(mm, g.floats("bias", bias, n)));
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

    /** Rows [row, row + count) of a row-major matrix with {@code cols} columns. */
    private static float[] rows(float[] m, int row, int count, int cols) {
        return slice(m, row * cols, count * cols);
    }

    private static float[] slice(float[] v, int from, int count) {
        float[] s = new float[count];
        System.arraycopy(v, from, s, 0, count);
        return s;
    }
}
