package io.github.recurra.tensorflow;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;

/**
 * Where a native training step's time goes, per op type (TensorFlow step stats of 10 traced steps after 10 warm-up
 * steps, reference workload): {@code mvn -o -q -pl backend-tensorflow verify -Dtest=TfProfileTest
 * -Drecurra.tf.profile=true} ({@code -Drecurra.tf.profile.cell=gru|rnn|lstm}). Prints; checks nothing.
 */
@EnabledIfSystemProperty(named = "recurra.tf.profile", matches = "true")
class TfProfileTest {

    @Test
    void trainingStep() {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[128 * 28 * 28];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        int[] labels = new int[128];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(10);
        }
        Batch batch = new Batch(Tensor.wrap(x, 128, 28, 28), labels);
        String which = System.getProperty("recurra.tf.profile.cell", "lstm");
        Cell cell = switch (which) {
            case "gru" -> GruCell.builder(128).linearBeforeReset(true).build();
            case "rnn" -> RnnCell.of(128);
            default -> LstmCell.builder(128).forgetBias(0f).build();
        };
        Network net = Network.builder(28).layer(Sequence.of(cell)).head(Head.classifier(10)).build();
        try (TensorFlowBackend backend = new TensorFlowBackend(TensorFlowBackendModule.Options.fromSystemProperties());
                Model m = backend.compile(net, Initialization.defaults().initialize(net, 1));
                TfTrainingSession s = (TfTrainingSession) m.openTraining(Optimizer.adam(1e-3))) {
            for (int i = 0; i < 10; i++) {
                s.step(batch, null, 0L);
            }
            s.trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.SOFTWARE_TRACE).build();
            Map<String, long[]> byType = new TreeMap<>();
            long wall = 0;
            int steps = 10;
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                s.step(batch, null, 0L);
                wall += System.nanoTime() - t0;
                RunMetadata md = s.metadata;
                StepStats st = md.getStepStats();
                for (var dev : st.getDevStatsList()) {
                    for (NodeExecStats n : dev.getNodeStatsList()) {
                        String label = n.getTimelineLabel();
                        int eq = label.indexOf(" = ");
                        int par = label.indexOf('(', Math.max(eq, 0));
                        String type = eq >= 0 && par > eq ? label.substring(eq + 3, par) : n.getNodeName();
                        String part = n.getNodeName().contains("_gradients") ? "bwd " : n.getNodeName()
                                .contains("training") ? "upd " : "fwd ";
                        long[] a = byType.computeIfAbsent(part + type, k -> new long[2]);
                        a[0] += n.getOpEndRelMicros();
                        a[1]++;
                    }
                }
            }
            System.out.printf("%s: traced step wall %.2f ms; op time (sum over threads) per step by part and op type:%n",
                    cell, wall / 1e6 / steps);
            long total = 0;
            for (long[] a : byType.values()) {
                total += a[0];
            }
            final long sum = total;
            byType.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(40)
                    .forEach(e -> System.out.printf("  %-40s %8.2f ms %5.1f %% %6d ops%n", e.getKey(),
                            e.getValue()[0] / 1e3 / steps, 100.0 * e.getValue()[0] / sum, e.getValue()[1] / steps));
            System.out.printf("  total op time %.2f ms per step%n", sum / 1e3 / steps);
        }
    }
}
