package io.github.recurra.onnxruntime;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded random inputs, states and parameters for the backend's own tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Tensor inputs(int b, int t, int f, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[b * t * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return Tensor.wrap(x, b, t, f);
    }

    /** Every parameter uniform in [−0.6, 0.6), biases included (so every bias path is exercised). */
    static Parameters parameters(Network net, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Parameters p = Parameters.zerosFor(net);
        for (Tensor t : p.asMap().values()) {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (1.2 * r.nextDouble() - 0.6);
            }
        }
        return p;
    }

    /** Random initial states for every layer, cell states for LSTM layers. */
    static States states(Network net, int b, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Tensor> h = new ArrayList<>();
        List<Tensor> c = new ArrayList<>();
        for (var s : net.layers()) {
            int dirs = s.direction().count();
            int hidden = s.cell().hiddenSize();
            h.add(random(r, dirs, b, hidden));
            c.add(s.cell().hasCellState() ? random(r, dirs, b, hidden) : null);
        }
        return new States(h, c);
    }

    private static Tensor random(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (2 * r.nextDouble() - 1);
        }
        return t;
    }
}
