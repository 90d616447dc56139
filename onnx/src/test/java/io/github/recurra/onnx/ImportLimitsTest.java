package io.github.recurra.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What the importer does with graphs outside what Recurra represents, and with the metadata. */
class ImportLimitsTest {
    private static final Network NET = Network.builder(3)
            .layer(Sequence.builder(LstmCell.of(4)).returnSequences(true).build())
            .layer(Sequence.of(LstmCell.builder(4).forgetBias(0.5f).build())).head(Head.classifier(3)).build();
    private static final Parameters PARAMS = TestNetworks.parameters(NET, 11);

    private static ModelProto.Builder exported() throws Exception {
        return ModelProto.parseFrom(OnnxFormat.toBytes(NET, PARAMS, OnnxExportOptions.defaults())).toBuilder();
    }

    private static String rejected(UnaryOperator<ModelProto.Builder> edit) throws Exception {
        byte[] bad = edit.apply(exported()).build().toByteArray();
        return assertThrows(IllegalArgumentException.class, () -> OnnxFormat.fromBytes(bad)).getMessage();
    }

    @Test
    void anActivationAfterTheHeadIsNamed() throws Exception {
        String msg = rejected(m -> {
            for (int i = 0; i < m.getGraph().getNodeCount(); i++) {
                NodeProto n = m.getGraph().getNode(i);
                if (n.getOpType().equals("Softmax")) {
                    m.getGraphBuilder().setNode(i, n.toBuilder().setOpType("Relu").clearAttribute());
                }
            }
            return m;
        });
        assertTrue(msg.contains("Relu") && msg.contains("LSTM, GRU and RNN"), msg);
    }

    @Test
    void aHeadOnALowerLayerIsRejected() throws Exception {
        String msg = rejected(m -> {
            // feed layer 0's merged steps (time-major) straight to the Gemm
            String layer0Steps = null;
            for (NodeProto n : m.getGraph().getNodeList()) {
                if (n.getOpType().equals("LSTM") && n.getName().equals("LSTM_1")) {
                    layer0Steps = n.getInput(0);
                }
            }
            for (int i = 0; i < m.getGraph().getNodeCount(); i++) {
                NodeProto n = m.getGraph().getNode(i);
                if (n.getOpType().equals("Gemm")) {
                    m.getGraphBuilder().setNode(i, n.toBuilder().setInput(0, layer0Steps));
                }
            }
            return m;
        });
        assertTrue(msg.contains("Gemm") && msg.contains("dense layer"), msg);
    }

    @Test
    void metadataFillsInOnlyWhatTheGraphCannotSay() throws Exception {
        OnnxModel plain = OnnxFormat.fromBytes(OnnxFormat.toBytes(NET, PARAMS, OnnxExportOptions.defaults()));
        assertEquals(NET, plain.network(), "forget bias 0.5 restored from the metadata");
        Network other = Network.builder(3)
                .layer(Sequence.builder(LstmCell.of(5)).returnSequences(true).build())
                .layer(Sequence.of(LstmCell.of(4))).head(Head.classifier(3)).build();
        ModelProto.Builder m = exported();
        for (int i = 0; i < m.getMetadataPropsCount(); i++) {
            if (m.getMetadataProps(i).getKey().equals(OnnxFormat.META_SPEC)) {
                m.setMetadataProps(i, StringStringEntryProto.newBuilder().setKey(OnnxFormat.META_SPEC)
                        .setValue(ModelFile.specText(other)));
            }
        }
        OnnxModel lied = OnnxFormat.fromBytes(m.build().toByteArray());
        assertEquals(4, lied.network().layers().get(0).cell().hiddenSize(), "the graph wins");
        assertEquals(1f, ((LstmCell) lied.network().layers().get(1).cell()).forgetBias(),
                "nothing taken from metadata that disagrees");
        assertTrue(lied.notes().stream().anyMatch(s -> s.contains("disagrees")), lied.notes().toString());
    }
}
