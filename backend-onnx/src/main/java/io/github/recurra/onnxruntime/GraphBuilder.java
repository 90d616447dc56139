package io.github.recurra.onnxruntime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes one ONNX graph with {@link ProtoWriter}: nodes with unique names and outputs, initializers from float or
 * int64 arrays (raw little-endian data), typed graph inputs and outputs, and the {@code ModelProto} around them. Field
 * numbers are those of ONNX's {@code onnx.proto}. Not thread-safe; one per graph.
 */
final class GraphBuilder {
    // ModelProto
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int OPSET_VERSION = 2;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    // AttributeProto and its AttributeType values
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int TYPE_FLOAT = 1;
    private static final int TYPE_INT = 2;
    private static final int TYPE_INTS = 7;
    // TensorProto and its DataType values
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, Dimension
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_TYPE_ELEM = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    private final ProtoWriter graph = new ProtoWriter();
    private int counter;

    GraphBuilder(String name) {
        graph.string(GRAPH_NAME, name);
    }

    /** An attribute of a node. */
    static final class Attr {
        final ProtoWriter proto = new ProtoWriter();

        private Attr(String name, int type) {
            proto.string(ATTR_NAME, name).varint(ATTR_TYPE, type);
        }
    }

    static Attr attr(String name, long value) {
        Attr a = new Attr(name, TYPE_INT);
        a.proto.varint(ATTR_I, value);
        return a;
    }

    static Attr attr(String name, float value) {
        Attr a = new Attr(name, TYPE_FLOAT);
        a.proto.float32(ATTR_F, value);
        return a;
    }

    static Attr ints(String name, long... values) {
        Attr a = new Attr(name, TYPE_INTS);
        for (long v : values) {
            a.proto.varint(ATTR_INTS, v);
        }
        return a;
    }

    /** @return a name not used yet, from a readable stem */
    String fresh(String stem) {
        return stem + "_" + (counter++);
    }

    /**
     * Adds a node.
     *
     * @param op      the operator type
     * @param inputs  its inputs ("" for an absent optional one)
     * @param outputs its outputs
     * @param attrs   its attributes
     */
    void node(String op, List<String> inputs, List<String> outputs, Attr... attrs) {
        ProtoWriter n = new ProtoWriter();
        for (String i : inputs) {
            n.string(NODE_INPUT, i);
        }
        for (String o : outputs) {
            n.string(NODE_OUTPUT, o);
        }
        n.string(NODE_NAME, fresh(op)).string(NODE_OP_TYPE, op);
        for (Attr a : attrs) {
            n.message(NODE_ATTRIBUTE, a.proto);
        }
        graph.message(GRAPH_NODE, n);
    }

    /** A node with one fresh output, returned. */
    String op(String op, List<String> inputs, Attr... attrs) {
        String out = fresh(op.toLowerCase(java.util.Locale.ROOT));
        node(op, inputs, List.of(out), attrs);
        return out;
    }

    /** Float initializer; data in row-major order. */
    String floats(String stem, float[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return initializer(stem, FLOAT, b.array(), dims);
    }

    /** Int64 initializer; a scalar when {@code dims} is empty. */
    String longs(String stem, long[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        return initializer(stem, INT64, b.array(), dims);
    }

    private String initializer(String stem, int type, byte[] raw, long... dims) {
        String name = fresh(stem);
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varint(TENSOR_DIMS, d);
        }
        t.varint(TENSOR_DATA_TYPE, type).string(TENSOR_NAME, name).bytes(TENSOR_RAW_DATA, raw);
        graph.message(GRAPH_INITIALIZER, t);
        return name;
    }

    /** Declares a graph input; dims are Integer (fixed) or String (symbolic). */
    void input(String name, int elemType, Object... dims) {
        graph.message(GRAPH_INPUT, valueInfo(name, elemType, dims));
    }

    /** Declares a graph output (a node must produce it). */
    void output(String name, int elemType, Object... dims) {
        graph.message(GRAPH_OUTPUT, valueInfo(name, elemType, dims));
    }

    private static ProtoWriter valueInfo(String name, int elemType, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d instanceof Integer i) {
                dim.varint(DIM_VALUE, i);
            } else {
                dim.string(DIM_PARAM, (String) d);
            }
            shape.message(SHAPE_DIM, dim);
        }
        ProtoWriter tensor = new ProtoWriter().varint(TENSOR_TYPE_ELEM, elemType).message(TENSOR_TYPE_SHAPE, shape);
        return new ProtoWriter().string(VALUE_NAME, name)
                .message(VALUE_TYPE, new ProtoWriter().message(TYPE_TENSOR, tensor));
    }

    /**
     * @param opset     the {@code ai.onnx} opset the nodes follow
     * @param irVersion the IR version that opset needs
     * @param producer  the producer name
     * @return the serialized {@code ModelProto}
     */
    byte[] model(int opset, int irVersion, String producer) {
        return new ProtoWriter().varint(MODEL_IR_VERSION, irVersion).string(MODEL_PRODUCER_NAME, producer)
                .message(MODEL_GRAPH, graph).message(MODEL_OPSET_IMPORT, new ProtoWriter().varint(OPSET_VERSION, opset))
                .toByteArray();
    }
}
