package io.github.recurra.examples;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Small networks of each result kind the tool writes, with seeded random parameters (biases included). */
final class TestModels {
    static final int FEATURES = 4;

    private TestModels() {
    }

    /** @return by name: a last-step classifier, a per-step regressor, and two networks without a head */
    static Map<String, Network> all() {
        Map<String, Network> m = new LinkedHashMap<>();
        m.put("stacked_bidirectional_classifier", Network.builder(FEATURES)
                .layer(Sequence.builder(LstmCell.builder(5).peepholes(true).build())
                        .direction(Direction.BIDIRECTIONAL).returnSequences(true).build())
                .layer(Sequence.of(GruCell.builder(4).linearBeforeReset(true).build()))
                .head(Head.classifier(3)).build());
        m.put("per_step_regressor", Network.builder(FEATURES)
                .layer(Sequence.builder(GruCell.of(6)).returnSequences(true).build())
                .head(Head.of(2, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build());
        m.put("no_head_sequences", Network.builder(FEATURES)
                .layer(Sequence.builder(LstmCell.of(3)).returnSequences(true).build()).build());
        m.put("no_head_last_step", Network.builder(FEATURES)
                .layer(Sequence.builder(RnnCell.of(5)).direction(Direction.REVERSE).build()).build());
        return m;
    }

    /** @return the default initialisation with every value moved by noise, so that biases are not zero */
    static Parameters parameters(Network network, long seed) {
        Parameters p = Initialization.defaults().initialize(network, seed);
        Random r = new Random(seed);
        for (String name : p.names()) {
            float[] d = p.get(name).data();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) (0.2 * r.nextGaussian());
            }
        }
        return p;
    }

    /** @return {@code [n, time, FEATURES]} standard normal inputs */
    static Tensor inputs(int n, int time, long seed) {
        return Tensor.wrap(NpyFilesTest.random(n * time * FEATURES, seed), n, time, FEATURES);
    }
}
