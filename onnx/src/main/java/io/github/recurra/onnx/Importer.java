package io.github.recurra.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a validated ONNX graph back into a network. Each tensor of the graph is given a meaning (the network input,
 * a layer's raw output, its merged steps, a direction's final state, a zero state, a shape computation, the head's
 * logits, ...) as the nodes are visited in dependency order; a node whose operator or operands have no meaning in a
 * recurrent network is an error naming the node. The recurrent layers form a chain from the input; how each layer's
 * outputs are read by the layer above, the head or the graph outputs fixes its merge mode and whether it returns
 * every step, its last time index or its final states.
 */
final class Importer {
    private static final Logger LOG = LoggerFactory.getLogger(Importer.class);
    private static final Set<String> LSTM_ATTRS = Set.of("activation_alpha", "activation_beta", "activations", "clip",
            "direction", "hidden_size", "input_forget", "layout");
    private static final Set<String> GRU_ATTRS = Set.of("activation_alpha", "activation_beta", "activations", "clip",
            "direction", "hidden_size", "linear_before_reset", "layout");
    private static final Set<String> RNN_ATTRS = Set.of("activation_alpha", "activation_beta", "activations", "clip",
            "direction", "hidden_size", "layout");
    private static final String SUPPORTED = "Recurra reads LSTM, GRU and RNN operators with Transpose, Reshape, "
            + "Squeeze, Unsqueeze, Gather, GatherElements, Concat, Slice, Shape, ConstantOfShape, Expand, Cast, "
            + "Constant, Identity, Add, Sub, Mul, Gemm, MatMul and Softmax around them";

    /** What a tensor of the graph means. */
    private sealed interface V {
    }

    /** A constant: ints (int64/int32) or floats, with its dims. */
    private record Const(long[] ints, float[] floats, int[] dims) implements V {
        boolean isInt() {
            return ints != null;
        }

        boolean scalar() {
            return dims.length == 0 || (dims.length == 1 && dims[0] == 1);
        }

        boolean allZero() {
            if (floats != null) {
                for (float f : floats) {
                    if (f != 0f) {
                        return false;
                    }
                }
                return true;
            }
            for (long l : ints) {
                if (l != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A graph input that is not an initializer. */
    private record GraphInput(String name, int elemType, int rank) implements V {
    }

    /** Steps of layer k ({@code -1} for the network input), time- or batch-major; merge null for one direction. */
    private record Steps(int layer, boolean timeMajor, MergeMode merge) implements V {
    }

    /** A recurrent node's Y {@code [T, dirs, B, H]}. */
    private record RawY(int layer) implements V {
    }

    /** Y transposed to {@code [T, B, dirs, H]}. */
    private record RawYT(int layer) implements V {
    }

    /** One direction's steps {@code [T, B, H]}. */
    private record DirSteps(int layer, int dir) implements V {
    }

    /** Y_h or Y_c {@code [dirs, B, H]}. */
    private record StateAll(int layer, boolean cell) implements V {
    }

    /** Y_h (or Y_c) of consecutive layers concatenated on axis 0. */
    private record Stack(List<Integer> layers, boolean cell) implements V {
    }

    /** One direction's final state {@code [B, H]}. */
    private record StateDir(int layer, int dir, boolean cell) implements V {
    }

    /** The last-step output of layer k {@code [B, F]}; gathered: read with Gather at index −1 (not with lengths). */
    private record Last(int layer, LastStep kind, MergeMode merge, boolean gathered) implements V {
    }

    /** A zero tensor (an initial state). */
    private record Zeros() implements V {
    }

    /** Rows from..to of a graph input holding initial states. */
    private record StateRows(String input, long from, long to) implements V {
    }

    /** The lengths input, possibly cast, minus {@code offset}, possibly reshaped or expanded. */
    private record Lengths(String input, long offset, boolean shaped) implements V {
    }

    /** GatherElements of layer k's time-major steps at length − 1: {@code [1, B, F]}. */
    private record LastRow(int layer, MergeMode merge) implements V {
    }

    /** An integer computed from shapes (only feeds shapes). */
    private record Dyn() implements V {
    }

    /** x · Wᵀ before the bias; x is a Last, StateDir or batch-major Steps of the top layer. */
    private record Product(V x, float[] w, int outputs, int features) implements V {
    }

    /** The head's logits. */
    private record Logits(V x, float[] w, float[] b, int outputs, int features) implements V {
    }

    /** Softmax of the logits. */
    private record Probabilities(Logits logits) implements V {
    }

    /** What a recurrent node says. */
    private static final class Layer {
        final int index;
        final NodeProto node;
        Cell cell;
        Direction direction;
        int hidden;
        int inputSize;
        float[] w;
        float[] r;
        float[] b;
        float[] p;
        String lengths = "";
        Boolean returnSequences;
        MergeMode merge;
        LastStep lastStep = LastStep.FINAL_STATES;

        Layer(int index, NodeProto node) {
            this.index = index;
            this.node = node;
        }

        int dirs() {
            return direction.count();
        }

        int outputSize(MergeMode m) {
            return dirs() == 2 && m == MergeMode.CONCAT ? 2 * hidden : hidden;
        }
    }

    private final ModelProto model;
    private final List<NodeProto> order;
    private final String source;
    private final long opset;
    private final Map<String, V> values = new HashMap<>();
    private final List<Layer> layers = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String networkInput;
    private String lengthsInput;

    private Importer(ModelProto model, List<NodeProto> order, String source) {
        this.model = model;
        this.order = order;
        this.source = source;
        long v = 0;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                v = o.getVersion();
            }
        }
        this.opset = v;
    }

    /**
     * @param model  a model {@link ModelChecks#check} accepted
     * @param order  its nodes in dependency order, as the check returned them
     * @param source the file or bytes, for messages
     */
    static OnnxModel read(ModelProto model, List<NodeProto> order, String source) {
        return new Importer(model, order, source).run();
    }

    private IllegalArgumentException fail(NodeProto n, String what) {
        return new IllegalArgumentException(source + ": node " + ModelChecks.describe(n) + " " + what);
    }

    private IllegalArgumentException unsupported(NodeProto n, String what) {
        return fail(n, what + "; " + SUPPORTED + ", as Recurra and torch.onnx.export write them");
    }

    private OnnxModel run() {
        GraphProto g = model.getGraph();
        Set<String> inits = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            values.put(t.getName(), constOf(t));
            inits.add(t.getName());
        }
        for (ValueInfoProto v : g.getInputList()) {
            if (inits.contains(v.getName())) {
                continue;
            }
            TypeProto.Tensor tt = v.getType().getTensorType();
            values.put(v.getName(), new GraphInput(v.getName(), tt.getElemType(),
                    tt.hasShape() ? tt.getShape().getDimCount() : -1));
        }
        for (NodeProto n : order) {
            visit(n);
        }
        return finish(g);
    }

    /**
     * @return the tensor an attribute holds; ModelChecks has checked its shape against its data
     * @throws IllegalArgumentException if it holds none (an attribute of another type under a tensor's name, or a
     *                                  tensor attribute without its tensor: a damaged file)
     */
    private TensorProto tensor(NodeProto n, AttributeProto a) {
        if (!a.hasT()) {
            throw fail(n, "has attribute '" + a.getName() + "' without a tensor in it (attribute type " + a.getType()
                    + "); the file is corrupted or not written by an ONNX exporter");
        }
        return a.getT();
    }

    private static Const constOf(TensorProto t) {
        int[] dims = Tensors.dims(t);
        return Tensors.isFloat(t) ? new Const(null, Tensors.floats(t), dims) : new Const(Tensors.longs(t), null, dims);
    }

    private V in(NodeProto n, int i) {
        if (i >= n.getInputCount() || n.getInput(i).isEmpty()) {
            return null;
        }
        return values.get(n.getInput(i));
    }

    private V need(NodeProto n, int i) {
        V v = in(n, i);
        if (v == null) {
            throw fail(n, "lacks its input " + i);
        }
        return v;
    }

    private void out(NodeProto n, int i, V v) {
        if (i < n.getOutputCount() && !n.getOutput(i).isEmpty()) {
            values.put(n.getOutput(i), v);
        }
    }

    private static AttributeProto attr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private static long intAttr(NodeProto n, String name, long dflt) {
        AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getI();
    }

    private static long[] intsAttr(NodeProto n, String name) {
        AttributeProto a = attr(n, name);
        if (a == null) {
            return null;
        }
        long[] v = new long[a.getIntsCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.getInts(i);
        }
        return v;
    }

    private Const intConst(NodeProto n, int i) {
        V v = need(n, i);
        if (!(v instanceof Const c) || !c.isInt()) {
            throw unsupported(n, "reads a computed value at input " + i + " where a constant index or shape is "
                    + "expected");
        }
        return c;
    }

    private static boolean isIntLike(V v) {
        return v instanceof Dyn || (v instanceof Const c && c.isInt());
    }

    private void visit(NodeProto n) {
        switch (n.getOpType()) {
            case "Constant" -> out(n, 0, constant(n));
            case "Identity" -> out(n, 0, need(n, 0));
            case "Transpose" -> out(n, 0, transpose(n));
            case "Squeeze" -> out(n, 0, squeeze(n));
            case "Unsqueeze" -> {
                if (!isIntLike(need(n, 0))) {
                    throw unsupported(n, "unsqueezes a " + kind(need(n, 0)));
                }
                out(n, 0, new Dyn());
            }
            case "Reshape" -> out(n, 0, reshape(n));
            case "Shape" -> out(n, 0, new Dyn());
            case "Gather" -> out(n, 0, gather(n));
            case "Concat" -> out(n, 0, concat(n));
            case "Slice" -> out(n, 0, slice(n));
            case "ConstantOfShape" -> out(n, 0, constantOfShape(n));
            case "Expand" -> out(n, 0, expand(n));
            case "Cast" -> out(n, 0, cast(n));
            case "Sub" -> out(n, 0, sub(n));
            case "Add" -> out(n, 0, add(n));
            case "Mul" -> out(n, 0, mul(n));
            case "GatherElements" -> out(n, 0, gatherElements(n));
            case "LSTM", "GRU", "RNN" -> recurrent(n);
            case "Gemm" -> out(n, 0, gemm(n));
            case "MatMul" -> out(n, 0, matmul(n));
            case "Softmax" -> out(n, 0, softmax(n));
            default -> throw fail(n, "uses operator " + n.getOpType() + ", which has no place in a Recurra network; "
                    + SUPPORTED);
        }
    }

    private static String kind(V v) {
        return v == null ? "missing value" : v.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT) + (v instanceof Steps s && s.layer >= 0 ? " of layer " + s.layer
                : "");
    }

    private V constant(NodeProto n) {
        for (AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value":
                    return constOf(tensor(n, a));
                case "value_float":
                    return new Const(null, new float[] {a.getF()}, new int[0]);
                case "value_floats": {
                    float[] f = new float[a.getFloatsCount()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = a.getFloats(i);
                    }
                    return new Const(null, f, new int[] {f.length});
                }
                case "value_int":
                    return new Const(new long[] {a.getI()}, null, new int[0]);
                case "value_ints": {
                    long[] l = intsAttr(n, "value_ints");
                    return new Const(l, null, new int[] {l.length});
                }
                default:
                    break;
            }
        }
        throw unsupported(n, "has no value attribute Recurra reads (value, value_float(s), value_int(s))");
    }

    private V transpose(NodeProto n) {
        V x = need(n, 0);
        long[] perm = intsAttr(n, "perm");
        if (x instanceof GraphInput gi && Arrays.equals(perm, new long[] {1, 0, 2})
                && gi.elemType == TensorProto.DataType.FLOAT.getNumber()) {
            if (networkInput != null && !networkInput.equals(gi.name)) {
                throw unsupported(n, "reads a second sequence input '" + gi.name + "' (the first was '"
                        + networkInput + "')");
            }
            networkInput = gi.name;
            return new Steps(-1, true, null);
        }
        if (x instanceof Steps s && Arrays.equals(perm, new long[] {1, 0, 2})) {
            return new Steps(s.layer, !s.timeMajor, s.merge);
        }
        if (x instanceof RawY y && Arrays.equals(perm, new long[] {0, 2, 1, 3})) {
            return new RawYT(y.layer);
        }
        if (x instanceof Const c && c.floats != null && c.dims.length == 2
                && (perm == null || Arrays.equals(perm, new long[] {1, 0}))) {
            int rows = c.dims[0];
            int cols = c.dims[1];
            return new Const(null, transposed(c.floats, rows, cols), new int[] {cols, rows});
        }
        throw unsupported(n, "transposes a " + kind(x) + " with perm " + Arrays.toString(perm));
    }

    private static float[] transposed(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    private long[] axes(NodeProto n) {
        long[] a = intsAttr(n, "axes");
        if (a == null && n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
            a = intConst(n, 1).ints;
        }
        return a;
    }

    private V squeeze(NodeProto n) {
        V x = need(n, 0);
        if (isIntLike(x)) {
            return new Dyn();
        }
        long[] axes = axes(n);
        if (x instanceof RawY y && layer(y.layer).dirs() == 1 && axes != null && axes.length == 1
                && (axes[0] == 1 || axes[0] == -3)) {
            return new Steps(y.layer, true, null);
        }
        throw unsupported(n, "squeezes a " + kind(x) + " on axes " + Arrays.toString(axes));
    }

    private Layer layer(int k) {
        return layers.get(k);
    }

    private V reshape(NodeProto n) {
        V x = need(n, 0);
        if (isIntLike(x)) {
            return new Dyn();
        }
        if (x instanceof Lengths l) {
            return new Lengths(l.input, l.offset, true);
        }
        long[] shape = intConst(n, 1).ints;
        if (intAttr(n, "allowzero", 0) != 0) {
            throw unsupported(n, "reshapes with allowzero = 1");
        }
        if (x instanceof RawY y && layer(y.layer).dirs() == 1 && shape.length == 3 && shape[0] == 0
                && shape[1] == -1 && shape[2] == layer(y.layer).hidden) {
            return new Steps(y.layer, true, null); // [T, 1, B, H] -> [T, B, H]: 0 copies T, -1 infers B
        }
        if (x instanceof RawYT y && shape.length == 3 && shape[0] == 0 && shape[1] == 0
                && (shape[2] == -1 || shape[2] == 2L * layer(y.layer).hidden)) {
            return new Steps(y.layer, true, MergeMode.CONCAT);
        }
        if (x instanceof LastRow row && shape.length == 2 && shape[0] == -1
                && shape[1] == layer(row.layer).outputSize(row.merge)) {
            return new Last(row.layer, LastStep.LAST_TIME_INDEX, row.merge, false);
        }
        throw unsupported(n, "reshapes a " + kind(x) + " to " + Arrays.toString(shape));
    }

    private static long scalarIndex(Const c) {
        return c.ints[0];
    }

    private V gather(NodeProto n) {
        V x = need(n, 0);
        if (isIntLike(x)) {
            return new Dyn();
        }
        Const idx = intConst(n, 1);
        long axis = intAttr(n, "axis", 0);
        if (idx.dims.length != 0) {
            throw unsupported(n, "gathers with index shape " + Arrays.toString(idx.dims) + "; a scalar index is "
                    + "expected");
        }
        long i = scalarIndex(idx);
        if (x instanceof RawY y && (axis == 1 || axis == -3)) {
            return new DirSteps(y.layer, direction(n, i, layer(y.layer).dirs()));
        }
        if (x instanceof Steps s && s.layer >= 0 && i == -1 && ((s.timeMajor && (axis == 0 || axis == -3))
                || (!s.timeMajor && (axis == 1 || axis == -2)))) {
            return new Last(s.layer, LastStep.LAST_TIME_INDEX, s.merge, true);
        }
        if (x instanceof StateAll st && (axis == 0 || axis == -3)) {
            return stateDir(st.layer, direction(n, i, layer(st.layer).dirs()), st.cell);
        }
        if (x instanceof Stack st && (axis == 0 || axis == -3)) {
            int rows = 0;
            for (int k : st.layers) {
                rows += layer(k).dirs();
            }
            long row = i < 0 ? i + rows : i;
            if (row < 0 || row >= rows) {
                throw fail(n, "reads row " + i + " of states that have " + rows + " rows");
            }
            for (int k : st.layers) {
                if (row < layer(k).dirs()) {
                    return stateDir(k, (int) row, st.cell);
                }
                row -= layer(k).dirs();
            }
        }
        throw unsupported(n, "gathers index " + i + " on axis " + axis + " of a " + kind(x));
    }

    /** One direction's final state; of a one-direction layer, that is its last-step output. */
    private V stateDir(int k, int dir, boolean cell) {
        if (!cell && layer(k).dirs() == 1) {
            return new Last(k, LastStep.FINAL_STATES, null, false);
        }
        return new StateDir(k, dir, cell);
    }

    private int direction(NodeProto n, long i, int dirs) {
        long d = i < 0 ? i + dirs : i;
        if (d < 0 || d >= dirs) {
            throw fail(n, "reads direction " + i + " of a layer with " + dirs);
        }
        return (int) d;
    }

    private V concat(NodeProto n) {
        long axis = intAttr(n, "axis", 0);
        List<V> xs = new ArrayList<>();
        boolean ints = true;
        for (int i = 0; i < n.getInputCount(); i++) {
            V v = need(n, i);
            xs.add(v);
            ints &= isIntLike(v);
        }
        if (ints) {
            return new Dyn();
        }
        if (axis == 0 && xs.stream().allMatch(v -> v instanceof StateAll)) {
            List<Integer> ks = new ArrayList<>();
            boolean cell = ((StateAll) xs.get(0)).cell;
            for (V v : xs) {
                StateAll s = (StateAll) v;
                if (s.cell != cell || (!ks.isEmpty() && s.layer != ks.get(ks.size() - 1) + 1)) {
                    throw unsupported(n, "concatenates states that are not consecutive layers of one kind");
                }
                ks.add(s.layer);
            }
            return new Stack(ks, cell);
        }
        if (xs.size() == 2 && (axis == 1 || axis == -1) && xs.get(0) instanceof StateDir a
                && xs.get(1) instanceof StateDir b && !a.cell && !b.cell && a.layer == b.layer && a.dir == 0
                && b.dir == 1) {
            return new Last(a.layer, LastStep.FINAL_STATES, MergeMode.CONCAT, false);
        }
        throw unsupported(n, "concatenates " + xs.stream().map(Importer::kind).toList() + " on axis " + axis);
    }

    private V slice(NodeProto n) {
        V x = need(n, 0);
        if (x instanceof Zeros) {
            return x;
        }
        if (isIntLike(x)) {
            return new Dyn();
        }
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        if (opset < 10) {
            starts = intsAttr(n, "starts");
            ends = intsAttr(n, "ends");
            axes = intsAttr(n, "axes");
            steps = null;
        } else {
            starts = intConst(n, 1).ints;
            ends = intConst(n, 2).ints;
            axes = in(n, 3) == null ? null : intConst(n, 3).ints;
            steps = in(n, 4) == null ? null : intConst(n, 4).ints;
        }
        if (x instanceof GraphInput gi && gi.elemType == TensorProto.DataType.FLOAT.getNumber() && starts != null
                && starts.length == 1 && ends != null && ends.length == 1 && (axes == null
                || (axes.length == 1 && axes[0] == 0)) && (steps == null || (steps.length == 1 && steps[0] == 1))
                && starts[0] >= 0 && ends[0] > starts[0]) {
            return new StateRows(gi.name, starts[0], ends[0]);
        }
        throw unsupported(n, "slices a " + kind(x));
    }

    private V constantOfShape(NodeProto n) {
        if (!isIntLike(need(n, 0))) {
            throw unsupported(n, "takes its shape from a " + kind(need(n, 0)));
        }
        AttributeProto value = attr(n, "value");
        if (value != null) {
            Const c = constOf(tensor(n, value));
            if (!c.allZero()) {
                throw unsupported(n, "fills with a non-zero value; only zero initial states are read");
            }
            if (c.isInt()) {
                return new Dyn();
            }
        }
        return new Zeros();
    }

    private V expand(NodeProto n) {
        V x = need(n, 0);
        if (x instanceof Zeros || (x instanceof Const c && c.floats != null && c.allZero())) {
            return new Zeros();
        }
        if (x instanceof Lengths l) {
            return new Lengths(l.input, l.offset, true);
        }
        if (isIntLike(x)) {
            return new Dyn();
        }
        throw unsupported(n, "expands a " + kind(x));
    }

    private V cast(NodeProto n) {
        V x = need(n, 0);
        if (isIntLike(x)) {
            return new Dyn();
        }
        if (x instanceof GraphInput gi && gi.elemType == TensorProto.DataType.INT32.getNumber()) {
            return new Lengths(lengths(n, gi), 0, false);
        }
        if (x instanceof Lengths l) {
            return l;
        }
        throw unsupported(n, "casts a " + kind(x));
    }

    private String lengths(NodeProto n, GraphInput gi) {
        if (lengthsInput != null && !lengthsInput.equals(gi.name)) {
            throw unsupported(n, "reads lengths from '" + gi.name + "' but the graph's lengths are '" + lengthsInput
                    + "'");
        }
        lengthsInput = gi.name;
        return gi.name;
    }

    private V sub(NodeProto n) {
        V a = need(n, 0);
        V b = need(n, 1);
        if (a instanceof Lengths l && !l.shaped && b instanceof Const c && c.isInt() && c.scalar()
                && c.ints[0] == 1) {
            return new Lengths(l.input, l.offset + 1, false);
        }
        if (isIntLike(a) && isIntLike(b)) {
            return new Dyn();
        }
        throw unsupported(n, "subtracts a " + kind(b) + " from a " + kind(a));
    }

    private V add(NodeProto n) {
        V a = need(n, 0);
        V b = need(n, 1);
        if (isIntLike(a) && isIntLike(b)) {
            return new Dyn();
        }
        V pair = pair(a, b, MergeMode.SUM);
        if (pair != null) {
            return pair;
        }
        if (a instanceof Const c && b instanceof Product p) {
            return logits(n, p, c);
        }
        if (b instanceof Const c && a instanceof Product p) {
            return logits(n, p, c);
        }
        throw unsupported(n, "adds a " + kind(a) + " and a " + kind(b));
    }

    private Logits logits(NodeProto n, Product p, Const bias) {
        if (bias.floats == null || bias.floats.length != p.outputs || bias.dims.length == 0
                || bias.dims[bias.dims.length - 1] != p.outputs) {
            throw fail(n, "adds a bias of shape " + Arrays.toString(bias.dims) + " to a dense layer with "
                    + p.outputs + " outputs; expected [" + p.outputs + "]");
        }
        return new Logits(p.x, p.w, bias.floats, p.outputs, p.features);
    }

    private static V pair(V a, V b, MergeMode mode) {
        if (a instanceof DirSteps x && b instanceof DirSteps y && x.layer == y.layer && x.dir != y.dir) {
            return new Steps(x.layer, true, mode);
        }
        if (a instanceof StateDir x && b instanceof StateDir y && x.layer == y.layer && x.dir != y.dir && !x.cell
                && !y.cell) {
            return new Last(x.layer, LastStep.FINAL_STATES, mode, false);
        }
        return null;
    }

    private V mul(NodeProto n) {
        V a = need(n, 0);
        V b = need(n, 1);
        if (isIntLike(a) && isIntLike(b)) {
            return new Dyn();
        }
        V pair = pair(a, b, MergeMode.MULTIPLY);
        if (pair != null) {
            return pair;
        }
        V x = a instanceof Const ? b : a;
        V k = a instanceof Const ? a : b;
        if (k instanceof Const c && c.floats != null && c.scalar() && c.floats[0] == 0.5f) {
            if (x instanceof Steps s && s.merge == MergeMode.SUM && s.timeMajor) {
                return new Steps(s.layer, true, MergeMode.AVERAGE);
            }
            if (x instanceof Last l && l.merge == MergeMode.SUM && l.kind == LastStep.FINAL_STATES) {
                return new Last(l.layer, l.kind, MergeMode.AVERAGE, false);
            }
        }
        throw unsupported(n, "multiplies a " + kind(a) + " and a " + kind(b));
    }

    private V gatherElements(NodeProto n) {
        V x = need(n, 0);
        V idx = need(n, 1);
        long axis = intAttr(n, "axis", 0);
        if (x instanceof Steps s && s.timeMajor && s.layer >= 0 && axis == 0 && idx instanceof Lengths l
                && l.offset == 1 && l.shaped) {
            return new LastRow(s.layer, s.merge);
        }
        throw unsupported(n, "gathers elements of a " + kind(x) + " at a " + kind(idx));
    }

    private V softmax(NodeProto n) {
        V x = need(n, 0);
        if (!(x instanceof Logits l)) {
            throw unsupported(n, "applies softmax to a " + kind(x) + "; only the head's logits are read");
        }
        boolean perStep = l.x instanceof Steps;
        long axis = intAttr(n, "axis", opset < 13 ? 1 : -1);
        boolean last = axis == -1 || axis == (perStep ? 2 : 1);
        if (!last) {
            throw unsupported(n, "applies softmax on axis " + axis + " of " + (perStep ? "per-step" : "last-step")
                    + " logits; Recurra's classifier normalises over the classes (the last axis)");
        }
        return new Probabilities(l);
    }

    private V gemm(NodeProto n) {
        V x = need(n, 0);
        V wv = need(n, 1);
        if (intAttr(n, "transA", 0) != 0) {
            throw unsupported(n, "has transA = 1");
        }
        float alpha = attr(n, "alpha") == null ? 1f : attr(n, "alpha").getF();
        float beta = attr(n, "beta") == null ? 1f : attr(n, "beta").getF();
        if (alpha != 1f || beta != 1f) {
            throw unsupported(n, "scales with alpha = " + alpha + ", beta = " + beta + "; a dense head has 1 and 1");
        }
        if (!(wv instanceof Const w) || w.floats == null || w.dims.length != 2) {
            throw unsupported(n, "multiplies by a " + kind(wv) + "; a dense head's weight is a float32 matrix "
                    + "initializer");
        }
        boolean transB = intAttr(n, "transB", 0) != 0;
        int outputs = transB ? w.dims[0] : w.dims[1];
        int features = transB ? w.dims[1] : w.dims[0];
        float[] weight = transB ? w.floats : transposed(w.floats, w.dims[0], w.dims[1]);
        Product p = new Product(headInput(n, x, false), weight, outputs, features);
        V c = in(n, 2);
        if (c == null) {
            return new Logits(p.x, p.w, new float[outputs], outputs, features);
        }
        if (!(c instanceof Const bias)) {
            throw unsupported(n, "adds a " + kind(c) + " as its bias");
        }
        return logits(n, p, bias);
    }

    private V matmul(NodeProto n) {
        V x = need(n, 0);
        V wv = need(n, 1);
        if (!(wv instanceof Const w) || w.floats == null || w.dims.length != 2) {
            throw unsupported(n, "multiplies by a " + kind(wv) + "; a dense head's weight is a float32 matrix "
                    + "initializer");
        }
        return new Product(headInput(n, x, true), transposed(w.floats, w.dims[0], w.dims[1]), w.dims[1],
                w.dims[0]);
    }

    private V headInput(NodeProto n, V x, boolean stepsAllowed) {
        if (x instanceof Last || (x instanceof StateDir s && !s.cell)
                || (stepsAllowed && x instanceof Steps st && !st.timeMajor && st.layer >= 0)) {
            return x;
        }
        throw unsupported(n, "applies a dense layer to a " + kind(x) + "; a Recurra head reads the top layer's last "
                + "step, final states or (per step) batch-major outputs");
    }

    private void recurrent(NodeProto n) {
        String op = n.getOpType();
        int k = layers.size();
        Layer l = new Layer(k, n);
        Set<String> allowed = op.equals("LSTM") ? LSTM_ATTRS : op.equals("GRU") ? GRU_ATTRS : RNN_ATTRS;
        for (AttributeProto a : n.getAttributeList()) {
            if (!allowed.contains(a.getName())) {
                throw fail(n, "has attribute '" + a.getName() + "', which the " + op + " operator does not define "
                        + "(known: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
        if (intAttr(n, "layout", 0) != 0) {
            throw fail(n, "has layout = " + intAttr(n, "layout", 0) + "; only layout 0 (time-major) is read, as "
                    + "ONNX Runtime rejects 1: transpose in the graph instead");
        }
        AttributeProto dirAttr = attr(n, "direction");
        String dir = dirAttr == null ? "forward" : dirAttr.getS().toStringUtf8();
        l.direction = switch (dir) {
            case "forward" -> Direction.FORWARD;
            case "reverse" -> Direction.REVERSE;
            case "bidirectional" -> Direction.BIDIRECTIONAL;
            default -> throw fail(n, "has direction '" + dir + "'; expected forward, reverse or bidirectional");
        };
        int dirs = l.dirs();
        int gates = op.equals("LSTM") ? 4 : op.equals("GRU") ? 3 : 1;
        V x = need(n, 0);
        if (!(x instanceof Steps s) || !s.timeMajor || s.layer != k - 1) {
            throw unsupported(n, "reads a " + kind(x) + " as its input X; layer " + k + " must read "
                    + (k == 0 ? "the network input transposed to time-major [time, batch, features]"
                    : "the time-major output of layer " + (k - 1)));
        }
        if (k > 0) {
            commit(n, layer(k - 1), true, s.merge, LastStep.FINAL_STATES);
            l.inputSize = layer(k - 1).outputSize(s.merge);
        }
        Const w = weight(n, 1, "W");
        Const r = weight(n, 2, "R");
        if (w.dims.length != 3 || w.dims[0] != dirs || r.dims.length != 3 || r.dims[0] != dirs
                || w.dims[1] % gates != 0 || r.dims[1] != w.dims[1] || r.dims[2] * gates != r.dims[1]) {
            throw fail(n, "has W " + Arrays.toString(w.dims) + " and R " + Arrays.toString(r.dims) + "; a " + dir
                    + " " + op + " needs W [" + dirs + ", " + gates + "*hidden, input] and R [" + dirs + ", " + gates
                    + "*hidden, hidden]");
        }
        l.hidden = r.dims[2];
        AttributeProto hs = attr(n, "hidden_size");
        if (hs == null || hs.getI() != l.hidden) {
            throw fail(n, "has hidden_size " + (hs == null ? "unset" : Long.toString(hs.getI())) + " but R "
                    + Arrays.toString(r.dims) + " means " + l.hidden + "; set hidden_size to match the weights");
        }
        if (k == 0) {
            l.inputSize = w.dims[2];
        } else if (w.dims[2] != l.inputSize) {
            throw fail(n, "has W " + Arrays.toString(w.dims) + " for " + w.dims[2] + " input features but layer "
                    + (k - 1) + " outputs " + l.inputSize);
        }
        l.w = w.floats;
        l.r = r.floats;
        V b = in(n, 3);
        if (b == null) {
            l.b = new float[dirs * 2 * gates * l.hidden];
        } else {
            Const bc = weight(n, 3, "B");
            if (!Arrays.equals(bc.dims, new int[] {dirs, 2 * gates * l.hidden})) {
                throw fail(n, "has B " + Arrays.toString(bc.dims) + "; expected [" + dirs + ", "
                        + 2 * gates * l.hidden + "]");
            }
            l.b = bc.floats;
        }
        V lens = in(n, 4);
        if (lens != null) {
            if (!(lens instanceof GraphInput gi) || gi.elemType != TensorProto.DataType.INT32.getNumber()) {
                throw unsupported(n, "reads its sequence_lens from a " + kind(lens) + "; it must be an int32 graph "
                        + "input");
            }
            l.lengths = lengths(n, gi);
        }
        if (k > 0 && !l.lengths.equals(layer(0).lengths)) {
            throw unsupported(n, "uses sequence lengths '" + l.lengths + "' but layer 0 uses '" + layer(0).lengths
                    + "'; Recurra applies one set of lengths to every layer");
        }
        initialState(n, 5, "initial_h", l);
        if (op.equals("LSTM")) {
            initialState(n, 6, "initial_c", l);
            V p = in(n, 7);
            if (p != null) {
                Const pc = weight(n, 7, "P");
                if (!Arrays.equals(pc.dims, new int[] {dirs, 3 * l.hidden})) {
                    throw fail(n, "has P " + Arrays.toString(pc.dims) + "; expected [" + dirs + ", " + 3 * l.hidden
                            + "]");
                }
                l.p = pc.floats;
            }
        }
        float clip = Float.POSITIVE_INFINITY;
        if (attr(n, "clip") != null) {
            clip = attr(n, "clip").getF();
            if (!(clip > 0f)) {
                throw fail(n, "has clip " + clip + "; it must be positive");
            }
        }
        List<Activation> acts = activations(n, op, dirs);
        l.cell = switch (op) {
            case "LSTM" -> {
                long inputForget = intAttr(n, "input_forget", 0);
                yield LstmCell.builder(l.hidden).peepholes(l.p != null).clip(clip)
                        .coupledInputForget(inputForget != 0).activations(acts.get(0), acts.get(1), acts.get(2))
                        .build();
            }
            case "GRU" -> GruCell.builder(l.hidden).clip(clip)
                    .linearBeforeReset(intAttr(n, "linear_before_reset", 0) != 0)
                    .activations(acts.get(0), acts.get(1)).build();
            default -> RnnCell.builder(l.hidden).clip(clip).activation(acts.get(0)).build();
        };
        layers.add(l);
        out(n, 0, new RawY(k));
        out(n, 1, new StateAll(k, false));
        out(n, 2, new StateAll(k, true));
    }

    private Const weight(NodeProto n, int i, String what) {
        V v = need(n, i);
        if (!(v instanceof Const c) || c.floats == null) {
            throw unsupported(n, "reads " + what + " from a " + kind(v) + "; recurrent weights must be float32 "
                    + "initializers or constants");
        }
        return c;
    }

    private void initialState(NodeProto n, int i, String what, Layer l) {
        V v = in(n, i);
        if (v == null || v instanceof Zeros) {
            return;
        }
        if (v instanceof GraphInput gi && gi.elemType == TensorProto.DataType.FLOAT.getNumber()) {
            notes.add("layer " + l.index + "'s " + what + " is graph input '" + gi.name + "'");
            return;
        }
        if (v instanceof StateRows rows) {
            if (rows.to - rows.from != l.dirs()) {
                throw fail(n, "reads " + (rows.to - rows.from) + " rows of '" + rows.input + "' as its " + what
                        + "; a layer with " + l.dirs() + " direction(s) needs " + l.dirs());
            }
            notes.add("layer " + l.index + "'s " + what + " is rows " + rows.from + ".." + (rows.to - 1)
                    + " of graph input '" + rows.input + "'");
            return;
        }
        throw unsupported(n, "reads its " + what + " from a " + kind(v) + "; initial states must be zeros or graph "
                + "inputs");
    }

    private List<Activation> activations(NodeProto n, String op, int dirs) {
        List<String> dflt = switch (op) {
            case "LSTM" -> List.of("Sigmoid", "Tanh", "Tanh");
            case "GRU" -> List.of("Sigmoid", "Tanh");
            default -> List.of("Tanh");
        };
        int per = dflt.size();
        List<String> names = new ArrayList<>();
        AttributeProto a = attr(n, "activations");
        if (a == null) {
            for (int d = 0; d < dirs; d++) {
                names.addAll(dflt);
            }
        } else {
            a.getStringsList().forEach(s -> names.add(s.toStringUtf8()));
            if (names.size() != per * dirs) {
                throw fail(n, "lists " + names.size() + " activations; a " + op + " with " + dirs + " direction(s) "
                        + "needs " + per * dirs);
            }
        }
        List<Activation.Kind> kinds = new ArrayList<>();
        for (String s : names) {
            try {
                kinds.add(Activation.Kind.ofOnnxName(s));
            } catch (IllegalArgumentException e) {
                throw fail(n, e.getMessage());
            }
        }
        List<Float> alphas = floats(attr(n, "activation_alpha"));
        List<Float> betas = floats(attr(n, "activation_beta"));
        int needA = (int) kinds.stream().filter(Activations::takesAlpha).count();
        int needB = (int) kinds.stream().filter(Activations::takesBeta).count();
        if ((alphas != null && alphas.size() != needA) || (betas != null && betas.size() != needB)) {
            throw fail(n, "lists " + (alphas == null ? 0 : alphas.size()) + " activation_alpha and "
                    + (betas == null ? 0 : betas.size()) + " activation_beta values but its activations " + names
                    + " take " + needA + " and " + needB + " (one per function that takes it, in order)");
        }
        List<Activation> out = new ArrayList<>();
        int ai = 0;
        int bi = 0;
        for (Activation.Kind kind : kinds) {
            boolean ta = Activations.takesAlpha(kind);
            boolean tb = Activations.takesBeta(kind);
            if ((ta && alphas == null) || (tb && betas == null)) {
                if (kind == Activation.Kind.AFFINE || kind == Activation.Kind.SCALED_TANH
                        || kind == Activation.Kind.THRESHOLDED_RELU) {
                    throw fail(n, "uses " + kind.onnxName() + " without activation_alpha/activation_beta; runtimes "
                            + "disagree on its defaults, so write them explicitly");
                }
                out.add(Activation.of(kind));
                continue;
            }
            float alpha = ta ? alphas.get(ai++) : 0f;
            float beta = tb ? betas.get(bi++) : 0f;
            try {
                out.add(Activation.of(kind, alpha, beta));
            } catch (IllegalArgumentException e) {
                throw fail(n, e.getMessage());
            }
        }
        if (dirs == 2 && !out.subList(0, per).equals(out.subList(per, 2 * per))) {
            throw fail(n, "uses activations " + out.subList(0, per) + " forward and " + out.subList(per, 2 * per)
                    + " in reverse; a Recurra layer has one cell for both directions");
        }
        return out.subList(0, per);
    }

    private static List<Float> floats(AttributeProto a) {
        return a == null ? null : a.getFloatsList();
    }

    private void commit(NodeProto n, Layer l, boolean sequences, MergeMode merge, LastStep kind) {
        MergeMode m = l.dirs() == 2 ? merge : MergeMode.CONCAT;
        if (l.dirs() == 2 && merge == null) {
            throw fail(n, "reads layer " + l.index + " without merging its two directions");
        }
        if (l.returnSequences != null && (l.returnSequences != sequences || l.merge != m || l.lastStep != kind)) {
            throw unsupported(n, "reads layer " + l.index + " in a second way (" + describe(sequences, m, kind)
                    + " after " + describe(l.returnSequences, l.merge, l.lastStep) + "); a Recurra layer has one "
                    + "output");
        }
        l.returnSequences = sequences;
        l.merge = m;
        l.lastStep = kind;
    }

    private static String describe(boolean sequences, MergeMode m, LastStep kind) {
        return (sequences ? "every step" : kind == LastStep.FINAL_STATES ? "final states" : "last time index")
                + ", " + m.name().toLowerCase(java.util.Locale.ROOT);
    }

    private OnnxModel finish(GraphProto g) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(source + " has no LSTM, GRU or RNN node; Recurra imports recurrent "
                    + "networks");
        }
        if (networkInput == null) {
            throw new IllegalArgumentException(source + ": no graph input reaches the first recurrent layer "
                    + "through a Transpose to time-major; Recurra reads batch-major input [batch, time, features]");
        }
        int top = layers.size() - 1;
        Layer t = layer(top);
        NodeProto topNode = t.node;
        Logits logits = null;
        boolean probabilities = false;
        boolean output = false;
        for (ValueInfoProto o : g.getOutputList()) {
            V v = values.get(o.getName());
            if (v instanceof Probabilities p) {
                probabilities = true;
                v = p.logits;
            }
            if (v instanceof Product p) {
                v = new Logits(p.x, p.w, new float[p.outputs], p.outputs, p.features);
            }
            if (v instanceof Logits l) {
                if (logits != null && !logits.equals(l) && !(logits.x.equals(l.x)
                        && Arrays.equals(logits.w, l.w) && Arrays.equals(logits.b, l.b))) {
                    throw new IllegalArgumentException(source + ": graph output '" + o.getName() + "' is a second "
                            + "dense head; a Recurra network has one");
                }
                logits = l;
            } else if (v instanceof Steps s && s.layer == top && !s.timeMajor) {
                commit(topNode, t, true, s.merge, LastStep.FINAL_STATES);
                output = true;
            } else if (v instanceof Last l && l.layer == top) {
                commitLast(topNode, t, l);
                output = true;
            } else if (v instanceof StateAll || v instanceof Stack) {
                notes.add("graph output '" + o.getName() + "' is final states");
            } else {
                throw new IllegalArgumentException(source + ": graph output '" + o.getName() + "' is a " + kind(v)
                        + ", which a Recurra network does not produce; it produces the top layer's output "
                        + "(batch-major), the head's logits and probabilities, and final states");
            }
        }
        float[] headW = null;
        float[] headB = null;
        Head head = null;
        if (logits != null) {
            V x = logits.x;
            boolean perStep = false;
            headW = logits.w;
            if (x instanceof Steps s) {
                if (s.layer != top) {
                    throw headNotOnTop(s.layer);
                }
                commit(topNode, t, true, s.merge, LastStep.FINAL_STATES);
                perStep = true;
            } else if (x instanceof Last l) {
                if (l.layer != top) {
                    throw headNotOnTop(l.layer);
                }
                commitLast(topNode, t, l);
            } else {
                StateDir sd = (StateDir) x;
                if (sd.layer != top) {
                    throw headNotOnTop(sd.layer);
                }
                commit(topNode, t, false, MergeMode.CONCAT, LastStep.FINAL_STATES);
                if (t.dirs() == 2) {
                    headW = widen(logits.w, logits.outputs, t.hidden, sd.dir);
                    notes.add("the head reads only the " + (sd.dir == 0 ? "forward" : "reverse") + " direction's "
                            + "final state of layer " + top + " (h_n[" + (sd.dir - 2) + "] of a bidirectional "
                            + "layer); imported as a head over both directions' final states whose other half of "
                            + "head.W is zero: the outputs are the same, but further training also trains that half");
                }
            }
            int features = t.outputSize(t.merge);
            if (headW.length != logits.outputs * features) {
                throw new IllegalArgumentException(source + ": the dense head has a weight for "
                        + logits.features + " features but layer " + top + " outputs " + features);
            }
            headB = logits.b;
            Head.Loss loss = probabilities || logits.outputs >= 2 ? Head.Loss.SOFTMAX_CROSS_ENTROPY
                    : Head.Loss.MEAN_SQUARED_ERROR;
            head = Head.of(logits.outputs, perStep ? Head.Target.EVERY_STEP : Head.Target.LAST_STEP, loss);
        } else if (!output) {
            throw new IllegalArgumentException(source + ": no graph output is the top layer's output or a dense head "
                    + "on it; nothing the graph returns is what a Recurra network computes");
        }
        for (Layer l : layers) {
            if (l.returnSequences == null) {
                throw new IllegalArgumentException(source + ": the output of layer " + l.index + " is not read");
            }
            if (l.lastStep == LastStep.LAST_TIME_INDEX && l.direction == Direction.FORWARD) {
                l.lastStep = LastStep.FINAL_STATES; // the same values for a forward direction (not for a reverse one)
            }
        }
        if (!t.lengths.isEmpty()) {
            notes.add("sequence lengths are graph input '" + t.lengths + "'");
        }
        Network.Builder nb = Network.builder(layer(0).inputSize);
        for (Layer l : layers) {
            nb.layer(Sequence.builder(l.cell).direction(l.direction).mergeMode(l.merge)
                    .returnSequences(l.returnSequences).lastStep(l.returnSequences ? LastStep.FINAL_STATES
                            : l.lastStep).build());
        }
        if (head != null) {
            nb.head(head);
        }
        Network network;
        try {
            network = nb.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": the graph describes a network Recurra cannot build: "
                    + e.getMessage(), e);
        }
        Parameters params = Parameters.empty();
        for (Layer l : layers) {
            int k = l.index;
            Map<String, int[]> shapes = Parameters.shapesOf(network);
            params.put(Parameters.w(k), Tensor.of(l.w, shapes.get(Parameters.w(k))));
            params.put(Parameters.r(k), Tensor.of(l.r, shapes.get(Parameters.r(k))));
            params.put(Parameters.b(k), Tensor.of(l.b, shapes.get(Parameters.b(k))));
            if (l.p != null) {
                params.put(Parameters.p(k), Tensor.of(l.p, shapes.get(Parameters.p(k))));
            }
        }
        if (head != null) {
            params.put(Parameters.HEAD_W, Tensor.of(headW, head.outputs(), network.outputSize()));
            params.put(Parameters.HEAD_B, Tensor.of(headB, head.outputs()));
        }
        network = confirmWithMetadata(network);
        params.checkMatches(network);
        LOG.info("read {} (producer '{}' {}, opset {}) as {}{}", source, model.getProducerName(),
                model.getProducerVersion(), opset, network, notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        return new OnnxModel(network, params, model.getProducerName(), model.getProducerVersion(), opset,
                notes);
    }

    private IllegalArgumentException headNotOnTop(int k) {
        return new IllegalArgumentException(source + ": the dense head reads layer " + k + " but layer "
                + (layers.size() - 1) + " is the top; a Recurra head reads the top layer");
    }

    private void commitLast(NodeProto n, Layer t, Last l) {
        if (l.kind == LastStep.LAST_TIME_INDEX && l.gathered && !t.lengths.isEmpty()) {
            throw unsupported(n, "is read at time index −1 although its node takes sequence lengths: past an "
                    + "example's length its outputs are zero, so this is not each example's last step");
        }
        commit(n, t, false, l.merge, l.kind);
    }

    /** A head weight over one direction [outputs, hidden] widened to both, zero in the other half. */
    private static float[] widen(float[] w, int outputs, int hidden, int dir) {
        float[] out = new float[outputs * 2 * hidden];
        for (int o = 0; o < outputs; o++) {
            System.arraycopy(w, o * hidden, out, o * 2 * hidden + dir * hidden, hidden);
        }
        return out;
    }

    /**
     * Recurra's metadata may fill in what a graph cannot say (an LSTM's forget-bias initialisation, the dropout used
     * in training, the head's loss) when everything the graph says agrees with it; otherwise it is ignored.
     */
    private Network confirmWithMetadata(Network fromGraph) {
        String spec = null;
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (e.getKey().equals(OnnxFormat.META_SPEC)) {
                spec = e.getValue();
            }
        }
        if (spec == null) {
            return fromGraph;
        }
        Network meta;
        try {
            meta = ModelFile.parseSpec(spec);
        } catch (IllegalArgumentException e) {
            warn("the metadata's network spec does not parse and was ignored: " + e.getMessage());
            return fromGraph;
        }
        Head.Loss graphLoss = fromGraph.head().map(Head::loss).orElse(null);
        boolean softmaxInGraph = hasSoftmax();
        Network candidate = NetworkCopy.withUnseen(fromGraph, meta);
        if (candidate == null || (softmaxInGraph && graphLoss != null
                && candidate.requireHead().loss() != Head.Loss.SOFTMAX_CROSS_ENTROPY)) {
            warn("the metadata's network spec disagrees with the graph and was ignored (graph: " + fromGraph
                    + "; metadata: " + meta + ")");
            return fromGraph;
        }
        if (!candidate.equals(fromGraph)) {
            notes.add("forget-bias initialisation, dropout and loss taken from Recurra's metadata");
        }
        return candidate;
    }

    /** A note that something in the file was not used: kept with the notes and logged at WARN at once. */
    private void warn(String note) {
        notes.add(note);
        LOG.warn("{}: {}", source, note);
    }

    private boolean hasSoftmax() {
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("Softmax")) {
                return true;
            }
        }
        return false;
    }
}
