package io.github.recurra.onnx;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Networks covering every option the API has, with random parameters (biases and peepholes included). */
public final class TestNetworks {
    static final int INPUT = 3;

    private TestNetworks() {
    }

    public static Map<String, Network> all() {
        Map<String, Network> m = new LinkedHashMap<>();
        List<Activation> every = List.of(Activation.tanh(), Activation.sigmoid(), Activation.relu(),
                Activation.affine(0.7f, -0.2f), Activation.leakyRelu(0.05f), Activation.thresholdedRelu(0.3f),
                Activation.scaledTanh(1.3f, 0.6f), Activation.hardSigmoid(0.25f, 0.45f), Activation.elu(0.8f),
                Activation.softsign(), Activation.softplus());
        for (Activation a : every) {
            m.put("rnn_" + a.kind().name().toLowerCase(), last(RnnCell.builder(4).activation(a).build()));
        }
        m.put("lstm_plain", last(LstmCell.of(4)));
        m.put("lstm_forget_bias_peepholes", last(LstmCell.builder(4).forgetBias(1f).peepholes(true).build()));
        m.put("lstm_clip_coupled", last(LstmCell.builder(4).clip(0.8f).coupledInputForget(true).build()));
        m.put("lstm_activations", last(LstmCell.builder(4).peepholes(true).activations(Activation.hardSigmoid(0.3f,
                0.4f), Activation.affine(0.9f, 0.1f), Activation.scaledTanh(1.1f, 0.9f)).build()));
        m.put("gru_reset_before", last(GruCell.of(4)));
        m.put("gru_reset_after", last(GruCell.builder(4).linearBeforeReset(true).build()));
        m.put("gru_clip_activations", last(GruCell.builder(4).clip(1.5f).activations(Activation.leakyRelu(0.2f),
                Activation.elu(0.7f)).build()));
        for (Direction d : Direction.values()) {
            for (MergeMode mm : d == Direction.BIDIRECTIONAL ? MergeMode.values() : new MergeMode[] {MergeMode.CONCAT}) {
                String tag = d.name().toLowerCase() + (d == Direction.BIDIRECTIONAL ? "_" + mm.name().toLowerCase()
                        : "");
                for (LastStep ls : LastStep.values()) {
                    m.put("gru_" + tag + "_" + ls.name().toLowerCase(), Network.builder(INPUT)
                            .layer(Sequence.builder(GruCell.builder(3).linearBeforeReset(true).build()).direction(d)
                                    .mergeMode(mm).lastStep(ls).build())
                            .head(Head.classifier(3)).build());
                }
                m.put("lstm_" + tag + "_every_step", Network.builder(INPUT)
                        .layer(Sequence.builder(LstmCell.builder(3).peepholes(true).build()).direction(d)
                                .mergeMode(mm).returnSequences(true).build())
                        .head(Head.of(2, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build());
            }
        }
        m.put("stack_mixed_dropout", Network.builder(INPUT)
                .layer(Sequence.builder(LstmCell.of(4)).direction(Direction.BIDIRECTIONAL).returnSequences(true)
                        .build())
                .layer(Sequence.builder(GruCell.of(3)).direction(Direction.BIDIRECTIONAL)
                        .mergeMode(MergeMode.AVERAGE).returnSequences(true).build())
                .layer(Sequence.builder(RnnCell.builder(5).activation(Activation.relu()).build())
                        .direction(Direction.REVERSE).lastStep(LastStep.LAST_TIME_INDEX).build())
                .dropout(0.25).head(Head.classifier(4)).build());
        m.put("stack_per_step_classifier", Network.builder(INPUT)
                .layer(Sequence.builder(GruCell.of(4)).returnSequences(true).build())
                .layer(Sequence.builder(LstmCell.of(3)).direction(Direction.BIDIRECTIONAL)
                        .mergeMode(MergeMode.MULTIPLY).returnSequences(true).build())
                .head(Head.of(3, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY)).build());
        m.put("no_head_sequences", Network.builder(INPUT)
                .layer(Sequence.builder(LstmCell.of(3)).direction(Direction.BIDIRECTIONAL).returnSequences(true)
                        .build()).build());
        m.put("no_head_last_step", Network.builder(INPUT)
                .layer(Sequence.builder(GruCell.of(3)).direction(Direction.BIDIRECTIONAL).mergeMode(MergeMode.SUM)
                        .build()).build());
        m.put("regression_last_step", Network.builder(INPUT).layer(Sequence.of(RnnCell.of(3)))
                .head(Head.of(1, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build());
        m.put("regression_two_outputs", Network.builder(INPUT).layer(Sequence.of(LstmCell.of(3)))
                .head(Head.of(2, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build());
        return m;
    }

    private static Network last(Cell c) {
        return Network.builder(INPUT).layer(Sequence.of(c)).head(Head.classifier(3)).build();
    }

    /** Initial parameters with every tensor (biases and peepholes too) perturbed by uniform(−0.3, 0.3). */
    public static Parameters parameters(Network n, long seed) {
        Parameters p = Initialization.defaults().initialize(n, seed);
        Random r = new Random(seed);
        for (String name : new ArrayList<>(p.names())) {
            float[] d = p.get(name).data();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) (r.nextDouble() * 0.6 - 0.3);
            }
        }
        return p;
    }

    /** A random input batch {@code [batch, time, INPUT]}. */
    public static Tensor inputs(int batch, int time, long seed) {
        Random r = new Random(seed);
        float[] d = new float[batch * time * INPUT];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return Tensor.of(d, batch, time, INPUT);
    }
}
