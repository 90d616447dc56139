package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.TrainingSession;
import io.github.recurra.api.spi.TrainingStep;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.conformance.Tolerances;
import io.github.recurra.onnx.OnnxExportOptions;
import io.github.recurra.onnx.OnnxFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime 1.28 and TensorFlow's natives in one JVM (REFERENCES: ONNX Runtime 1.29 crashes the JVM whenever the
 * TensorFlow natives are on the classpath): both load, train or infer, and agree. A network trained for a few steps on
 * TensorFlow is exported as ONNX and run by ONNX Runtime in the same process with TensorFlow's logits as the expected
 * values, and both agree with the CPU backend.
 */
class NativeBackendsTogetherTest {

    @Test
    void tensorflowTrainsAndOnnxRuntimeServesTheResultInOneJvm() {
        Network net = Network.builder(6).layer(Sequence.of(LstmCell.builder(8).peepholes(true).build()))
                .head(Head.classifier(3)).build();
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[16 * 5 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] y = new int[16];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(3);
        }
        Batch batch = new Batch(Tensor.of(x, 16, 5, 6), y);
        try (Backend tf = Backends.named("tensorflow"); Backend ort = Backends.named("onnx");
                Backend cpu = Backends.named("cpu");
                Model trained = tf.compile(net, Initialization.defaults().initialize(net, 1))) {
            try (TrainingSession s = trained.openTraining(Optimizer.adam(0.01))) {
                double first = Double.NaN;
                double last = Double.NaN;
                for (int step = 0; step < 5; step++) {
                    TrainingStep t = s.step(batch, null, step);
                    assertTrue(t.applied(), "step " + step + " was refused");
                    first = step == 0 ? t.loss() : first;
                    last = t.loss();
                }
                assertTrue(last < first, "training on TensorFlow should lower the loss: " + first + " -> " + last);
            }
            Parameters p = trained.parameters();
            byte[] onnx = OnnxFormat.toBytes(net, p, OnnxExportOptions.defaults());
            Tensor want = trained.forward(batch.inputs()).logits();
            try (Model served = ort.compile(OnnxFormat.fromBytes(onnx).network(), OnnxFormat.fromBytes(onnx)
                    .parameters()); Model ref = cpu.compile(net, p)) {
                Tensor got = served.forward(batch.inputs()).logits();
                Tensor cpuLogits = ref.forward(batch.inputs()).logits();
                assertEquals(want.shapeString(), got.shapeString());
                Tolerances.standard().crossBackend().assertClose(want.data(), got.data(),
                        "ONNX Runtime serving TensorFlow's trained parameters, against TensorFlow");
                Tolerances.standard().crossBackend().assertClose(cpuLogits.data(), want.data(),
                        "TensorFlow against the CPU backend on the trained parameters");
            }
        }
    }
}
