package io.github.recurra.tensorflow;

import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The measurement behind the route choice: the reference workload's LSTM forward pass as {@code BlockLSTMV2} (one op
 * over all steps, plus the head) against the backend's unrolled inference piece, B=128 and B=1, medians of 60 after 20
 * warm-up runs: {@code -Dtest=TfFusedProbeTest -Drecurra.tf.probe=true}. Prints; checks nothing.
 */
@EnabledIfSystemProperty(named = "recurra.tf.probe", matches = "true")
class TfFusedProbeTest {
    private static final int T = 28;
    private static final int I = 28;
    private static final int H = 128;

    @Test
    void blockLstmForwardAgainstUnrolled() {
        SplittableRandom r = new SplittableRandom(3);
        Network net = Network.builder(I).layer(Sequence.of(LstmCell.builder(H).forgetBias(0f).build()))
                .head(Head.classifier(10)).build();
        TensorFlowBackendModule.Options o = TensorFlowBackendModule.Options.defaults();
        try (TensorFlowBackend backend = new TensorFlowBackend(o.withRoute(TensorFlowBackendModule.Route.UNROLLED));
                Model m = backend.compile(net, Initialization.defaults().initialize(net, 1));
                TensorFlowBackend fusedBackend = new TensorFlowBackend(o.withRoute(TensorFlowBackendModule.Route.FUSED));
                Model mf = fusedBackend.compile(net, Initialization.defaults().initialize(net, 1))) {
            for (int b : new int[] {128, 32, 8, 4, 1}) {
                float[] x = new float[b * T * I];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextDouble();
                }
                Tensor in = Tensor.wrap(x, b, T, I);
                double unrolled = median(() -> m.forward(in));
                double route = median(() -> mf.forward(in));
                double fused = fused(x, b, r);
                System.out.printf("LSTM forward B=%d: unrolled model %.3f ms, fused-route model %.3f ms, bare "
                        + "BlockLSTMV2 graph %.3f ms%n", b, unrolled, route, fused);
            }
        }
    }

    private static double fused(float[] x, int b, SplittableRandom r) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> xs = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, T, I)));
            Operand<TFloat32> tm = tf.linalg.transpose(xs, tf.constant(new int[] {1, 0, 2}));
            Operand<TFloat32> w = tf.constant(Shape.of(I + H, 4 * H), random(r, (I + H) * 4 * H));
            Operand<TFloat32> bias = tf.constant(Shape.of(4 * H), random(r, 4 * H));
            Operand<TFloat32> zeros = tf.zeros(tf.stack(java.util.List.of(tf.constant(b), tf.constant(H))),
                    TFloat32.class);
            Operand<TFloat32> peep = tf.zeros(tf.constant(new int[] {H}), TFloat32.class);
            BlockLSTM<TFloat32> lstm = tf.nn.blockLSTM(tf.constant((long) T), tm, zeros, zeros, w, peep, peep, peep,
                    bias, BlockLSTM.cellClip(-1f), BlockLSTM.usePeephole(false));
            Operand<TFloat32> last = tf.reshape(tf.slice(lstm.h(), tf.constant(new int[] {T - 1, 0, 0}),
                    tf.constant(new int[] {1, -1, H})), tf.constant(new int[] {-1, H}));
            Operand<TFloat32> logits = tf.linalg.matMul(last, tf.constant(Shape.of(H, 10), random(r, H * 10)));
            return median(() -> {
                try (TFloat32 t = Feeds.tensor(x, b, T, I);
                        var res = s.runner().feed(xs, t).fetch(last).fetch(logits).run()) {
                    res.get(0);
                }
            });
        }
    }

    private static org.tensorflow.ndarray.buffer.FloatDataBuffer random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.1 * (r.nextDouble() - 0.5));
        }
        return org.tensorflow.ndarray.buffer.DataBuffers.of(v);
    }

    private static double median(Runnable run) {
        for (int i = 0; i < 20; i++) {
            run.run();
        }
        double[] t = new double[60];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            run.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
