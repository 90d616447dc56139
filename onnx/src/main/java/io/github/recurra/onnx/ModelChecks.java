package io.github.recurra.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structural checks of an ONNX model before anything reads its tensors: the bytes parse, the opset is one the
 * operators are read for, tensors have a supported element type, sane dimensions and exactly as many values as their
 * shape says, no tensor lives in external data, every name a node reads is defined once, and the graph has no cycle.
 * Nothing here allocates from a size the file declares.
 */
final class ModelChecks {
    /** The most elements one tensor may declare (a recurrent weight of 16k × 16k units fits). */
    static final long MAX_ELEMENTS = 1L << 28;
    /** The most dimensions one tensor may declare. */
    static final int MAX_RANK = 8;
    /** The most nodes a graph may hold. */
    static final int MAX_NODES = 100_000;
    /** Oldest and newest {@code ai.onnx} opsets whose operators are read. */
    static final int MIN_OPSET = 7;
    static final int MAX_OPSET = 22;

    private ModelChecks() {
    }

    static ModelProto parse(byte[] bytes, String source) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException(source + " is empty; expected a serialized ONNX ModelProto");
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(64);
            return ModelProto.parseFrom(in);
        } catch (IOException e) { // InvalidProtocolBufferException, or a stream error of the in-memory reader
            throw new IllegalArgumentException(source + " is not a valid ONNX model (the protobuf does not parse: "
                    + e.getMessage() + "); the file is truncated, corrupted or not ONNX", e);
        }
    }

    /**
     * @param m      a parsed model
     * @param source the file or bytes, for messages
     * @return its nodes in dependency order (every node after the nodes it reads)
     * @throws IllegalArgumentException naming the first problem found
     */
    static List<NodeProto> check(ModelProto m, String source) {
        if (!m.hasGraph() || m.getIrVersion() <= 0) {
            throw new IllegalArgumentException(source + " is not an ONNX model: it has " + (m.hasGraph()
                    ? "no IR version" : "no graph") + "; the file is corrupted or not ONNX");
        }
        long opset = -1;
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = o.getVersion();
            }
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IllegalArgumentException(source + " uses " + (opset < 0 ? "no ai.onnx opset"
                    : "ai.onnx opset " + opset) + "; Recurra reads opsets " + MIN_OPSET + " to " + MAX_OPSET);
        }
        if (m.getFunctionsCount() > 0) {
            throw new IllegalArgumentException(source + " defines model-local functions, which Recurra does not "
                    + "read; export without custom functions");
        }
        GraphProto g = m.getGraph();
        if (g.getNodeCount() > MAX_NODES) {
            throw new IllegalArgumentException(source + " has " + g.getNodeCount() + " nodes, more than the "
                    + MAX_NODES + " a recurrent network needs");
        }
        if (g.getSparseInitializerCount() > 0) {
            throw new IllegalArgumentException(source + " has sparse initializers, which Recurra does not read");
        }
        Set<String> defined = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            checkTensor(t, source, "initializer '" + t.getName() + "'");
            define(defined, t.getName(), source, "initializer");
        }
        for (ValueInfoProto v : g.getInputList()) {
            checkValueInfo(v, source);
            if (!defined.contains(v.getName())) {
                define(defined, v.getName(), source, "graph input");
            }
        }
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw new IllegalArgumentException(source + ": node " + describe(n) + " is in domain '"
                        + n.getDomain() + "'; Recurra reads only standard ONNX operators");
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG() || a.getGraphsCount() > 0 || a.hasSparseTensor() || a.getSparseTensorsCount() > 0
                        || a.getTensorsCount() > 0) {
                    throw new IllegalArgumentException(source + ": node " + describe(n) + " has attribute '"
                            + a.getName() + "' holding a graph or tensor list, which Recurra does not read");
                }
                if (a.hasT()) {
                    checkTensor(a.getT(), source, "attribute '" + a.getName() + "' of node " + describe(n));
                }
            }
            for (String o : n.getOutputList()) {
                if (o.isEmpty()) {
                    continue;
                }
                define(defined, o, source, "output of node " + describe(n));
                producer.put(o, i);
            }
        }
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    throw new IllegalArgumentException(source + ": node " + describe(n) + " reads '" + in
                            + "', which no initializer, graph input or node defines (a missing initializer?)");
                }
            }
        }
        for (ValueInfoProto v : g.getOutputList()) {
            if (!defined.contains(v.getName())) {
                throw new IllegalArgumentException(source + ": graph output '" + v.getName()
                        + "' is not produced by any node");
            }
        }
        return dependencyOrder(g, producer, source);
    }

    private static void define(Set<String> defined, String name, String source, String what) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException(source + ": an " + what + " has an empty name");
        }
        if (!defined.add(name)) {
            throw new IllegalArgumentException(source + ": '" + name + "' is defined twice (again as " + what
                    + "); an ONNX graph defines every name once");
        }
    }

    /** Kahn's algorithm: the nodes in dependency order, or an error naming a node on a cycle. */
    private static List<NodeProto> dependencyOrder(GraphProto g, Map<String, Integer> producer, String source) {
        int n = g.getNodeCount();
        int[] pending = new int[n];
        List<List<Integer>> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            users.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (String in : g.getNode(i).getInputList()) {
                Integer p = producer.get(in);
                if (p != null) {
                    pending[i]++;
                    users.get(p).add(i);
                }
            }
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<NodeProto> order = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(g.getNode(i));
            for (int u : users.get(i)) {
                if (--pending[u] == 0) {
                    ready.add(u);
                }
            }
        }
        if (order.size() < n) {
            for (int i = 0; i < n; i++) {
                if (pending[i] > 0) {
                    throw new IllegalArgumentException(source + ": the graph has a cycle through node "
                            + describe(g.getNode(i)) + "; an ONNX graph must be acyclic");
                }
            }
        }
        return order;
    }

    /** Checks a tensor's type, dimensions and payload size without allocating from them. */
    static void checkTensor(TensorProto t, String source, String what) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new IllegalArgumentException(source + ": " + what + " refers to external data; Recurra reads "
                    + "only self-contained models (save with all tensors inside the file)");
        }
        if (t.hasSegment()) {
            throw new IllegalArgumentException(source + ": " + what + " is segmented, which Recurra does not read");
        }
        if (t.getDimsCount() > MAX_RANK) {
            throw new IllegalArgumentException(source + ": " + what + " has " + t.getDimsCount()
                    + " dimensions; at most " + MAX_RANK + " are supported");
        }
        long elements = 1;
        for (long d : t.getDimsList()) {
            if (d < 0 || d > MAX_ELEMENTS) {
                throw new IllegalArgumentException(source + ": " + what + " has dimension " + d + " in shape "
                        + t.getDimsList() + "; dimensions must be between 0 and " + MAX_ELEMENTS);
            }
            elements *= d;
            if (elements > MAX_ELEMENTS) {
                throw new IllegalArgumentException(source + ": " + what + " declares shape " + t.getDimsList()
                        + ", more than the " + MAX_ELEMENTS + " elements Recurra accepts in one tensor");
            }
        }
        int type = t.getDataType();
        int width;
        long count;
        if (type == TensorProto.DataType.FLOAT.getNumber()) {
            width = 4;
            count = t.getFloatDataCount();
        } else if (type == TensorProto.DataType.INT64.getNumber()) {
            width = 8;
            count = t.getInt64DataCount();
        } else if (type == TensorProto.DataType.INT32.getNumber()) {
            width = 4;
            count = t.getInt32DataCount();
        } else {
            TensorProto.DataType dt = TensorProto.DataType.forNumber(type);
            throw new IllegalArgumentException(source + ": " + what + " has element type "
                    + (dt == null ? "#" + type : dt.name()) + "; Recurra reads float32 tensors (and int64/int32 "
                    + "index constants): export in float32");
        }
        long have = t.hasRawData() ? t.getRawData().size() : count * width;
        if (t.hasRawData() && count > 0) {
            throw new IllegalArgumentException(source + ": " + what + " holds both raw and typed data");
        }
        if (have != elements * width) {
            throw new IllegalArgumentException(source + ": " + what + " has shape " + t.getDimsList() + " ("
                    + elements + " values) but carries " + (have / width) + (have % width != 0 ? " and a fraction"
                    : "") + " values; the file is corrupted");
        }
    }

    private static void checkValueInfo(ValueInfoProto v, String source) {
        if (!v.hasType() || !v.getType().hasTensorType()) {
            return;
        }
        TensorShapeProto s = v.getType().getTensorType().getShape();
        if (s.getDimCount() > MAX_RANK) {
            throw new IllegalArgumentException(source + ": graph input '" + v.getName() + "' has " + s.getDimCount()
                    + " dimensions; at most " + MAX_RANK + " are supported");
        }
        for (TensorShapeProto.Dimension d : s.getDimList()) {
            if (d.hasDimValue() && (d.getDimValue() < 0 || d.getDimValue() > MAX_ELEMENTS)) {
                throw new IllegalArgumentException(source + ": graph input '" + v.getName() + "' has dimension "
                        + d.getDimValue() + "; dimensions must be between 0 and " + MAX_ELEMENTS);
            }
        }
    }

    static String describe(NodeProto n) {
        return "'" + (n.getName().isEmpty() ? (n.getOutputCount() > 0 ? n.getOutput(0) : "?") : n.getName()) + "' ("
                + n.getOpType() + ")";
    }
}
