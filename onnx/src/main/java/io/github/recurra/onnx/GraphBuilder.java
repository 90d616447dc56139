package io.github.recurra.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;

/**
 * The small graph-building vocabulary {@link Unrolled} is written in, over {@link GraphWriter}: nodes from lists,
 * initializers under fresh names from stems, element types as ONNX numbers, and the {@code ModelProto} around the
 * graph. Not thread-safe; one per graph.
 */
final class GraphBuilder {
    static final int FLOAT = TensorProto.DataType.FLOAT.getNumber();

    private final GraphWriter g;

    GraphBuilder(String name) {
        this.g = new GraphWriter(name);
    }

    static AttributeProto attr(String name, long value) {
        return GraphWriter.attr(name, value);
    }

    static AttributeProto attr(String name, float value) {
        return GraphWriter.attr(name, value);
    }

    static AttributeProto ints(String name, long... values) {
        return GraphWriter.ints(name, values);
    }

    /** @return a tensor name not used yet, from a readable stem */
    String fresh(String stem) {
        return g.fresh(stem);
    }

    /** Adds a node. */
    void node(String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        GraphWriter.Node n = g.node(op, inputs, outputs.toArray(new String[0]));
        for (AttributeProto a : attrs) {
            n.attr(a);
        }
        n.add();
    }

    /** A node with one fresh output, returned. */
    String op(String op, List<String> inputs, AttributeProto... attrs) {
        return g.op(op, inputs, attrs);
    }

    /** A float initializer under a fresh name; data in row-major order. */
    String floats(String stem, float[] data, long... dims) {
        return g.initializer(stem, TensorProto.DataType.FLOAT, GraphWriter.raw(data), dims);
    }

    /** An int64 initializer under a fresh name; a scalar when {@code dims} is empty. */
    String longs(String stem, long[] data, long... dims) {
        return g.initializer(stem, TensorProto.DataType.INT64, GraphWriter.raw(data), dims);
    }

    /** Declares a graph input; dims are Integer (fixed) or String (symbolic). */
    void input(String name, int elemType, Object... dims) {
        g.input(name, TensorProto.DataType.forNumber(elemType), dims);
    }

    /** Declares a graph output (a node must produce it). */
    void output(String name, int elemType, Object... dims) {
        g.output(name, TensorProto.DataType.forNumber(elemType), dims);
    }

    /** @return the serialized {@code ModelProto} */
    byte[] model(int opset, int irVersion, String producer) {
        return ModelProto.newBuilder().setIrVersion(irVersion).setProducerName(producer)
                .setProducerVersion(OnnxFormat.version())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(g.graph()).build().toByteArray();
    }
}
