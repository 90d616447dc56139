package io.github.recurra.onnx;

import static io.github.recurra.onnx.GraphWriter.attr;
import static io.github.recurra.onnx.GraphWriter.ints;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a network as an ONNX graph. The graph, time-major inside as the recurrent operators require
 * ({@code layout = 0}):
 * <pre>
 * input [batch, time, features] -Transpose-> [time, batch, features]
 *   per layer k: LSTM | GRU | RNN (W, R, B, sequence_lens, initial states, P) -> Y [time, dirs, batch, hidden], Y_h, Y_c
 *     every step: dirs = 1: Reshape [0, -1, hidden]; concat: Transpose [0, 2, 1, 3] + Reshape [0, 0, -1];
 *                 sum / average / multiply: Gather each direction on axis 1, then Add (× 0.5) or Mul
 *     last step (final states): Gather each direction of Y_h on axis 0, merged as above (Concat on axis 1)
 *     last step (last time index): Gather index -1 on axis 0 of the merged steps; with lengths GatherElements at
 *                 length − 1
 * head: last step Gemm(x, head.W, head.B, transB = 1); every step MatMul(x, Transpose(head.W)) + head.B
 * classifier: Softmax on the last axis
 * </pre>
 * Initializers carry the canonical parameter names; every recurrent attribute is written explicitly, including the
 * activations and the α/β of those functions that take them (in function order, as ONNX Runtime consumes them).
 */
final class Exporter {
    private final Network network;
    private final Parameters parameters;
    private final OnnxExportOptions options;
    private final GraphWriter g = new GraphWriter("recurra");

    private Exporter(Network network, Parameters parameters, OnnxExportOptions options) {
        this.network = network;
        this.parameters = parameters;
        this.options = options;
    }

    static ModelProto export(Network network, Parameters parameters, OnnxExportOptions options) {
        parameters.checkMatches(network);
        return new Exporter(network, parameters, options).build();
    }

    static int irVersion(int opset) {
        return opset <= 11 ? 6 : opset <= 14 ? 7 : 8;
    }

    private ModelProto build() {
        int layers = network.layers().size();
        g.input(OnnxNames.INPUT, TensorProto.DataType.FLOAT, "batch", "time", network.inputSize());
        String lens = "";
        if (options.sequenceLengths()) {
            lens = OnnxNames.SEQUENCE_LENS;
            g.input(lens, TensorProto.DataType.INT32, "batch");
        }
        String x = g.op("Transpose", List.of(OnnxNames.INPUT), ints("perm", 1, 0, 2));
        String lastTm = null;
        String lastStep = null;
        for (int k = 0; k < layers; k++) {
            Sequence s = network.layers().get(k);
            Cell c = s.cell();
            int dirs = s.direction().count();
            int h = c.hiddenSize();
            String h0 = "";
            String c0 = "";
            if (options.initialStates()) {
                h0 = OnnxNames.initialH(k);
                g.input(h0, TensorProto.DataType.FLOAT, dirs, "batch", h);
                if (c.hasCellState()) {
                    c0 = OnnxNames.initialC(k);
                    g.input(c0, TensorProto.DataType.FLOAT, dirs, "batch", h);
                }
            }
            String y = g.fresh("layer" + k + ".Y");
            String yh = options.finalStates() ? OnnxNames.finalH(k) : g.fresh("layer" + k + ".Y_h");
            String w = g.floats(Parameters.w(k), parameters.get(Parameters.w(k)).data(),
                    parameters.get(Parameters.w(k)).shape());
            String r = g.floats(Parameters.r(k), parameters.get(Parameters.r(k)).data(),
                    parameters.get(Parameters.r(k)).shape());
            String b = g.floats(Parameters.b(k), parameters.get(Parameters.b(k)).data(),
                    parameters.get(Parameters.b(k)).shape());
            List<String> in = new ArrayList<>(List.of(x, w, r, b, lens, h0));
            GraphWriter.Node node;
            if (c instanceof LstmCell l) {
                String yc = options.finalStates() ? OnnxNames.finalC(k) : g.fresh("layer" + k + ".Y_c");
                in.add(c0);
                if (l.hasPeepholes()) {
                    in.add(g.floats(Parameters.p(k), parameters.get(Parameters.p(k)).data(),
                            parameters.get(Parameters.p(k)).shape()));
                }
                trimOptional(in);
                node = g.node("LSTM", in, y, yh, yc);
                activations(node, dirs, l.gateActivation(), l.cellActivation(), l.outputActivation());
                node.attr(attr("input_forget", l.coupledInputForget() ? 1L : 0L));
            } else if (c instanceof GruCell gru) {
                trimOptional(in);
                node = g.node("GRU", in, y, yh);
                activations(node, dirs, gru.gateActivation(), gru.candidateActivation());
                node.attr(attr("linear_before_reset", gru.linearBeforeReset() ? 1L : 0L));
            } else {
                trimOptional(in);
                node = g.node("RNN", in, y, yh);
                activations(node, dirs, ((RnnCell) c).activation());
            }
            node.attr(attr("hidden_size", (long) h)).attr(attr("direction", s.direction().onnxName()));
            if (c.hasClip()) {
                node.attr(attr("clip", c.clip()));
            }
            node.add();
            if (options.finalStates()) {
                g.output(yh, TensorProto.DataType.FLOAT, dirs, "batch", h);
                if (c.hasCellState()) {
                    g.output(OnnxNames.finalC(k), TensorProto.DataType.FLOAT, dirs, "batch", h);
                }
            }
            boolean top = k == layers - 1;
            if (!top || s.returnSequences() || lastTimeIndex(s)) {
                x = mergeSteps(y, s);
            }
            if (top) {
                if (s.returnSequences()) {
                    lastTm = x;
                } else if (lastTimeIndex(s)) {
                    lastStep = lastIndex(x, s.outputSize(), lens);
                } else {
                    lastStep = mergeFinal(yh, s);
                }
            }
        }
        int features = network.outputSize();
        String top;
        if (lastTm != null) {
            top = g.op("Transpose", List.of(lastTm), ints("perm", 1, 0, 2));
        } else {
            top = lastStep;
        }
        boolean seqOut = lastTm != null;
        if (network.head().isEmpty() || options.output()) {
            identity(top, OnnxNames.OUTPUT);
            declare(OnnxNames.OUTPUT, seqOut, features);
        }
        network.head().ifPresent(head -> {
            String hw = g.floats(Parameters.HEAD_W, parameters.get(Parameters.HEAD_W).data(),
                    parameters.get(Parameters.HEAD_W).shape());
            String hb = g.floats(Parameters.HEAD_B, parameters.get(Parameters.HEAD_B).data(),
                    parameters.get(Parameters.HEAD_B).shape());
            boolean perStep = head.target() == Head.Target.EVERY_STEP;
            if (perStep) {
                String wt = g.op("Transpose", List.of(hw), ints("perm", 1, 0));
                String mm = g.op("MatMul", List.of(top, wt));
                g.node("Add", List.of(mm, hb), OnnxNames.LOGITS).add();
            } else {
                g.node("Gemm", List.of(top, hw, hb), OnnxNames.LOGITS).attr(attr("transB", 1L))
                        .attr(attr("alpha", 1f)).attr(attr("beta", 1f)).add();
            }
            declare(OnnxNames.LOGITS, perStep, head.outputs());
            if (head.loss() == Head.Loss.SOFTMAX_CROSS_ENTROPY && options.probabilities()) {
                g.node("Softmax", List.of(OnnxNames.LOGITS), OnnxNames.PROBABILITIES)
                        .attr(attr("axis", perStep ? 2L : 1L)).add();
                declare(OnnxNames.PROBABILITIES, perStep, head.outputs());
            }
        });
        g.graph().setDocString("Recurra network: " + network);
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(irVersion(options.opset()))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(options.opset()))
                .setProducerName(OnnxFormat.PRODUCER).setProducerVersion(OnnxFormat.version())
                .setModelVersion(1).setGraph(g.graph());
        meta(m, OnnxFormat.META_SPEC, ModelFile.specText(network));
        meta(m, OnnxFormat.META_LAYOUT, OnnxFormat.LAYOUT);
        return m.build();
    }

    private static void meta(ModelProto.Builder m, String key, String value) {
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
    }

    static boolean lastTimeIndex(Sequence s) {
        return !s.returnSequences() && s.lastStep() == LastStep.LAST_TIME_INDEX;
    }

    private void declare(String name, boolean perStep, int size) {
        if (perStep) {
            g.output(name, TensorProto.DataType.FLOAT, "batch", "time", size);
        } else {
            g.output(name, TensorProto.DataType.FLOAT, "batch", size);
        }
    }

    private void identity(String from, String to) {
        g.node("Identity", List.of(from), to).add();
    }

    /** Optional trailing inputs that are absent are left out; absent ones in the middle stay as "". */
    private static void trimOptional(List<String> in) {
        while (in.get(in.size() - 1).isEmpty()) {
            in.remove(in.size() - 1);
        }
    }

    private static void activations(GraphWriter.Node node, int dirs, Activation... perDirection) {
        List<String> names = new ArrayList<>();
        List<Float> alphas = new ArrayList<>();
        List<Float> betas = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            for (Activation a : perDirection) {
                names.add(a.onnxName());
                if (Activations.takesAlpha(a.kind())) {
                    alphas.add(a.alpha());
                }
                if (Activations.takesBeta(a.kind())) {
                    betas.add(a.beta());
                }
            }
        }
        node.attr(GraphWriter.strings("activations", names));
        if (!alphas.isEmpty()) {
            node.attr(GraphWriter.floatList("activation_alpha", alphas));
        }
        if (!betas.isEmpty()) {
            node.attr(GraphWriter.floatList("activation_beta", betas));
        }
    }

    /** Y [time, dirs, batch, hidden] to [time, batch, outputSize]. */
    private String mergeSteps(String y, Sequence s) {
        int h = s.cell().hiddenSize();
        if (s.direction().count() == 1) {
            return g.op("Reshape", List.of(y, g.longs("shape", 0, -1, h)));
        }
        if (s.mergeMode() == MergeMode.CONCAT) {
            String t = g.op("Transpose", List.of(y), ints("perm", 0, 2, 1, 3));
            return g.op("Reshape", List.of(t, g.longs("shape", 0, 0, -1)));
        }
        String f = g.op("Gather", List.of(y, g.longScalar("forward", 0)), attr("axis", 1L));
        String r = g.op("Gather", List.of(y, g.longScalar("reverse", 1)), attr("axis", 1L));
        return merge(f, r, s.mergeMode(), 1);
    }

    /** Y_h [dirs, batch, hidden] to [batch, outputSize]. */
    private String mergeFinal(String yh, Sequence s) {
        String f = g.op("Gather", List.of(yh, g.longScalar("forward", 0)), attr("axis", 0L));
        if (s.direction().count() == 1) {
            return f;
        }
        String r = g.op("Gather", List.of(yh, g.longScalar("reverse", 1)), attr("axis", 0L));
        return merge(f, r, s.mergeMode(), 1);
    }

    private String merge(String f, String r, MergeMode mode, int concatAxis) {
        switch (mode) {
            case CONCAT:
                return g.op("Concat", List.of(f, r), attr("axis", (long) concatAxis));
            case SUM:
                return g.op("Add", List.of(f, r));
            case AVERAGE:
                return g.op("Mul", List.of(g.op("Add", List.of(f, r)), g.floatScalar("half", 0.5f)));
            case MULTIPLY:
                return g.op("Mul", List.of(f, r));
            default:
                throw new IllegalStateException("unknown merge mode " + mode);
        }
    }

    /** The merged steps [time, batch, F] read at the last time index, or at length − 1 per example. */
    private String lastIndex(String steps, int features, String lens) {
        if (lens.isEmpty()) {
            return g.op("Gather", List.of(steps, g.longScalar("last", -1)), attr("axis", 0L));
        }
        String l64 = g.op("Cast", List.of(lens), attr("to", (long) TensorProto.DataType.INT64.getNumber()));
        String idx = g.op("Sub", List.of(l64, g.longScalar("one", 1)));
        String col = g.op("Reshape", List.of(idx, g.longs("shape", 1, -1, 1)));
        String full = g.op("Expand", List.of(col, g.longs("shape", 1, 1, features)));
        String row = g.op("GatherElements", List.of(steps, full), attr("axis", 0L));
        return g.op("Reshape", List.of(row, g.longs("shape", -1, features)));
    }

}
