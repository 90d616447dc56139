package io.github.recurra.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds one ONNX graph: nodes with unique names, initializers from float or int64 arrays (raw little-endian data),
 * and typed graph inputs and outputs whose dimensions are numbers or symbolic names. Not thread-safe.
 */
final class GraphWriter {
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private final Set<String> produced = new HashSet<>();
    private int counter;

    GraphWriter(String name) {
        graph.setName(name);
    }

    /** @return a tensor name not used yet, from a readable stem */
    String fresh(String stem) {
        String n = stem;
        while (!names.add(n)) {
            n = stem + "_" + (++counter);
        }
        return n;
    }

    private String claim(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("duplicate tensor name " + name);
        }
        return name;
    }

    String floats(String name, float[] data, int... dims) {
        graph.addInitializer(tensor(claim(name), TensorProto.DataType.FLOAT, raw(data), longDims(dims)));
        return name;
    }

    String longs(String stem, long... data) {
        return initializer(stem, TensorProto.DataType.INT64, raw(data), data.length);
    }

    String longScalar(String stem, long value) {
        return initializer(stem, TensorProto.DataType.INT64, raw(new long[] {value}));
    }

    String floatScalar(String stem, float value) {
        return initializer(stem, TensorProto.DataType.FLOAT, raw(new float[] {value}));
    }

    /** An initializer under a fresh name from {@code stem}; a scalar when {@code dims} is empty. */
    String initializer(String stem, TensorProto.DataType type, byte[] raw, long... dims) {
        String name = fresh(stem);
        graph.addInitializer(tensor(name, type, raw, dims));
        return name;
    }

    /** @return little-endian float32 bytes, as {@code raw_data} holds them */
    static byte[] raw(float[] data) {
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        return buf.array();
    }

    /** @return little-endian int64 bytes, as {@code raw_data} holds them */
    static byte[] raw(long[] data) {
        ByteBuffer buf = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(data);
        return buf.array();
    }

    private static long[] longDims(int[] dims) {
        long[] d = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = dims[i];
        }
        return d;
    }

    private static TensorProto tensor(String name, TensorProto.DataType type, byte[] raw, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /** Starts a node; its outputs are the given names, each produced once. */
    Node node(String op, List<String> inputs, String... outputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(fresh(op));
        inputs.forEach(n::addInput);
        for (String o : outputs) {
            if (!o.isEmpty()) {
                names.add(o); // reserved, whether or not fresh() made it
                if (!produced.add(o)) {
                    throw new IllegalStateException("tensor " + o + " is produced twice");
                }
            }
            n.addOutput(o);
        }
        return new Node(n);
    }

    /** A node with one fresh output, returned. */
    String op(String op, List<String> inputs, AttributeProto... attributes) {
        String out = fresh(op.toLowerCase(java.util.Locale.ROOT));
        Node n = node(op, inputs, out);
        for (AttributeProto a : attributes) {
            n.builder.addAttribute(a);
        }
        n.add();
        return out;
    }

    final class Node {
        final NodeProto.Builder builder;

        private Node(NodeProto.Builder builder) {
            this.builder = builder;
        }

        Node attr(AttributeProto a) {
            builder.addAttribute(a);
            return this;
        }

        void add() {
            graph.addNode(builder);
        }
    }

    static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto attr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
                .build();
    }

    static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto floatList(String name, List<Float> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS)
                .addAllFloats(values).build();
    }

    static AttributeProto strings(String name, List<String> values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.STRINGS);
        values.forEach(v -> a.addStrings(ByteString.copyFromUtf8(v)));
        return a.build();
    }

    /** Declares a graph input; dims are Integer (fixed) or String (symbolic). */
    void input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(claim(name), type, dims));
    }

    /** Declares a graph output (the tensor must be produced by a node). */
    void output(String name, TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Integer i) {
                dim.setDimValue(i);
            } else {
                dim.setDimParam((String) d);
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }

    GraphProto.Builder graph() {
        return graph;
    }
}
