package io.github.recurra.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Bad files are rejected with an IllegalArgumentException that says what is wrong, before anything is allocated. */
class BadFilesTest {
    private static final Network NET = TestNetworks.all().get("stack_mixed_dropout");
    private static final Parameters PARAMS = TestNetworks.parameters(NET, 7);
    private static final byte[] GOOD = OnnxFormat.toBytes(NET, PARAMS, OnnxExportOptions.everything());

    private static ModelProto good() {
        try {
            return ModelProto.parseFrom(GOOD);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void rejects(UnaryOperator<ModelProto.Builder> edit, String... words) {
        byte[] bad = edit.apply(good().toBuilder()).build().toByteArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxFormat.fromBytes(bad));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "message should mention '" + w + "': " + e.getMessage());
        }
    }

    private static int nodeIndex(ModelProto.Builder m, String op) {
        for (int i = 0; i < m.getGraph().getNodeCount(); i++) {
            if (m.getGraph().getNode(i).getOpType().equals(op)) {
                return i;
            }
        }
        throw new AssertionError("no " + op);
    }

    private static int initIndex(ModelProto.Builder m, String name) {
        for (int i = 0; i < m.getGraph().getInitializerCount(); i++) {
            if (m.getGraph().getInitializer(i).getName().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no " + name);
    }

    @Test
    void emptyTruncatedAndGarbage() {
        assertThrows(IllegalArgumentException.class, () -> OnnxFormat.fromBytes(new byte[0]));
        for (int cut : new int[] {1, 7, GOOD.length / 3, GOOD.length / 2, GOOD.length - 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OnnxFormat.fromBytes(Arrays.copyOf(GOOD, cut)), "cut at " + cut);
            assertTrue(e.getMessage().startsWith("ONNX model bytes"), e.getMessage());
        }
        byte[] text = "this is not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> OnnxFormat.fromBytes(text));
    }

    @Test
    void randomCorruptionNeverEscapesAsAnythingElse() {
        Random r = new Random(1234);
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = GOOD.clone();
            int flips = 1 + r.nextInt(4);
            for (int j = 0; j < flips; j++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            try {
                OnnxFormat.fromBytes(b);
                accepted++; // a flip inside a weight's value is a valid, different model
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
            }
        }
        assertTrue(accepted < 3000, "some corruptions must be caught");
    }

    @Test
    void wrongElementType() {
        rejects(m -> {
            int i = initIndex(m, Parameters.w(0));
            m.getGraphBuilder().getInitializerBuilder(i).setDataType(TensorProto.DataType.DOUBLE.getNumber());
            return m;
        }, "layer0.W", "DOUBLE", "float32");
    }

    @Test
    void absurdAndNegativeDimensions() {
        rejects(m -> {
            m.getGraphBuilder().getInitializerBuilder(initIndex(m, Parameters.r(0))).setDims(0, 1L << 40);
            return m;
        }, "layer0.R", "dimension");
        rejects(m -> {
            m.getGraphBuilder().getInitializerBuilder(initIndex(m, Parameters.r(0))).setDims(1, -8);
            return m;
        }, "layer0.R", "-8");
        rejects(m -> {
            TensorProto.Builder t = m.getGraphBuilder().getInitializerBuilder(initIndex(m, Parameters.b(1)));
            t.clearDims().addDims(1 << 14).addDims(1 << 14).addDims(1 << 14);
            return m;
        }, "layer1.B", "elements");
    }

    @Test
    void sizeDisagreesWithShape() {
        rejects(m -> {
            TensorProto.Builder t = m.getGraphBuilder().getInitializerBuilder(initIndex(m, Parameters.HEAD_B));
            t.setRawData(t.getRawData().substring(0, t.getRawData().size() - 4));
            return m;
        }, "head.B", "corrupted");
    }

    @Test
    void missingInitializer() {
        rejects(m -> {
            m.getGraphBuilder().removeInitializer(initIndex(m, Parameters.w(1)));
            return m;
        }, "layer1.W", "missing initializer");
    }

    @Test
    void unknownOperator() {
        rejects(m -> {
            m.getGraphBuilder().getNodeBuilder(nodeIndex(m, "Gemm")).setOpType("FancyAttention");
            return m;
        }, "FancyAttention", "LSTM, GRU and RNN");
        rejects(m -> {
            m.getGraphBuilder().getNodeBuilder(nodeIndex(m, "GRU")).setDomain("com.example");
            return m;
        }, "com.example");
    }

    @Test
    void externalDataRefused() {
        rejects(m -> {
            TensorProto.Builder t = m.getGraphBuilder().getInitializerBuilder(initIndex(m, Parameters.w(0)));
            t.clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL).addExternalData(
                    StringStringEntryProto.newBuilder().setKey("location").setValue("../../../etc/passwd"));
            return m;
        }, "external data");
    }

    @Test
    void cycle() {
        rejects(m -> {
            NodeProto.Builder first = m.getGraphBuilder().getNodeBuilder(0);
            first.setInput(0, OnnxNames.LOGITS);
            return m;
        }, "cycle");
    }

    @Test
    void recurrentAttributesThatDisagreeWithTheWeights() {
        rejects(m -> {
            NodeProto.Builder n = m.getGraphBuilder().getNodeBuilder(nodeIndex(m, "LSTM"));
            for (int i = 0; i < n.getAttributeCount(); i++) {
                if (n.getAttribute(i).getName().equals("hidden_size")) {
                    n.setAttribute(i, n.getAttribute(i).toBuilder().setI(5));
                }
            }
            return m;
        }, "hidden_size", "5");
        rejects(m -> {
            m.getGraphBuilder().getNodeBuilder(nodeIndex(m, "LSTM")).addAttribute(GraphWriter.attr("layout", 1L));
            return m;
        }, "layout");
        rejects(m -> {
            m.getGraphBuilder().getNodeBuilder(nodeIndex(m, "RNN")).addAttribute(AttributeProto.newBuilder()
                    .setName("activation_alpha").setType(AttributeProto.AttributeType.FLOATS).addFloats(0.5f));
            return m;
        }, "activation_alpha");
        rejects(m -> {
            TensorProto.Builder t = m.getGraphBuilder().getInitializerBuilder(initIndex(m, Parameters.w(1)));
            t.setDims(2, t.getDims(2) - 1);
            t.setRawData(t.getRawData().substring(0, (int) (4 * t.getDims(0) * t.getDims(1) * t.getDims(2))));
            return m;
        }, "layer 0 outputs");
    }

    @Test
    void errorsNameTheSource(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("broken.onnx");
        java.nio.file.Files.write(f, Arrays.copyOf(GOOD, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxFormat.read(f));
        assertTrue(e.getMessage().contains("broken.onnx"), e.getMessage());
        assertThrows(java.io.UncheckedIOException.class, () -> OnnxFormat.read(dir.resolve("absent.onnx")));
    }
}
