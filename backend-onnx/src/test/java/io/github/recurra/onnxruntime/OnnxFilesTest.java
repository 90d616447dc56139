package io.github.recurra.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.data.Synthetic;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.onnx.OnnxExportOptions;
import io.github.recurra.onnx.OnnxFormat;
import io.github.recurra.onnx.OnnxModel;
import io.github.recurra.onnx.PyTorchImportTest;
import io.github.recurra.onnx.TestNetworks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX files on the ONNX Runtime backend: PyTorch's exports predict PyTorch's outputs; networks trained on the CPU
 * backend, exported to a file and imported back, give the CPU backend's outputs; every option network agrees with
 * the CPU backend after a round trip through the file format.
 */
class OnnxFilesTest {
    private static Backend onnx;
    private static Backend cpu;

    @BeforeAll
    static void backends() {
        onnx = Backends.named("onnx");
        cpu = Backends.named("cpu");
    }

    @AfterAll
    static void close() {
        onnx.close();
        cpu.close();
    }

    static List<String> pytorchCases() {
        return PyTorchImportTest.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pytorchCases")
    void pytorchFilesPredictPyTorchsOutputs(String name) {
        PyTorchImportTest.check(onnx, name);
    }

    @Test
    void aNetworkTrainedOnCpuGivesTheSameOutputsFromItsOnnxFile() {
        Network net = Network.builder(2)
                .layer(Sequence.builder(LstmCell.of(16)).direction(Direction.BIDIRECTIONAL).returnSequences(true)
                        .build())
                .layer(Sequence.of(GruCell.builder(12).linearBeforeReset(true).build()))
                .head(Head.of(1, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build();
        Dataset data = Synthetic.adding(1024, 20, 5L);
        try (Model trained = cpu.compile(net, Initialization.defaults().initialize(net, 1))) {
            Trainer.builder().optimizer(Optimizer.adam(1e-2)).batchSize(64).examples(3000).seed(3).build()
                    .fit(trained, data);
            byte[] file = OnnxFormat.toBytes(net, trained.parameters(), OnnxExportOptions.defaults());
            OnnxModel imported = OnnxFormat.fromBytes(file);
            assertEquals(net, imported.network());
            try (Model deployed = onnx.compile(imported.network(), imported.parameters())) {
                Batch b = data.batches(256).iterator().next();
                float[] want = trained.forward(b, null).logits().data();
                float[] got = deployed.forward(b, null).logits().data();
                float d = io.github.recurra.onnx.PyTorchFixtures.maxAbsDiff(want, got);
                assertTrue(d <= 1e-5f, "largest difference " + d);
            }
        }
    }

    @Test
    void everyOptionAgreesWithTheCpuBackendThroughTheFileFormat() {
        for (Map.Entry<String, Network> e : TestNetworks.all().entrySet()) {
            Network n = e.getValue();
            var p = TestNetworks.parameters(n, 17);
            OnnxModel m = OnnxFormat.fromBytes(OnnxFormat.toBytes(n, p, OnnxExportOptions.defaults()));
            Tensor x = TestNetworks.inputs(5, 6, 23);
            int[] lengths = {6, 1, 3, 6, 2};
            try (Model a = cpu.compile(n, p); Model b = onnx.compile(m.network(), m.parameters())) {
                for (Batch batch : new Batch[] {new Batch(x, null), new Batch(x, null, null, lengths)}) {
                    Forward fa = a.forward(batch, null);
                    Forward fb = b.forward(batch, null);
                    Tensor ta = fa.logits() != null ? fa.logits() : fa.output();
                    Tensor tb = fb.logits() != null ? fb.logits() : fb.output();
                    assertArrayEquals(ta.shape(), tb.shape(), e.getKey());
                    float d = io.github.recurra.onnx.PyTorchFixtures.maxAbsDiff(ta.data(), tb.data());
                    assertTrue(d <= 1e-5f, e.getKey() + (batch.lengths() == null ? "" : " with lengths")
                            + ": largest difference " + d);
                }
            }
        }
    }
}
