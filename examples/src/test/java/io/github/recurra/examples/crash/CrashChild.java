package io.github.recurra.examples.crash;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.data.Synthetic;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.onnx.OnnxExportOptions;
import io.github.recurra.onnx.OnnxFormat;
import java.nio.file.Path;

/**
 * The process {@code CrashSafetyTest} kills: it writes one file over and over until it is killed, in one of three
 * ways. {@code checkpoint DIR}: trains {@link #NETWORK} with a checkpoint after every step ({@link #trainer}) for
 * {@link #STEPS} steps; {@code model DIR} and {@code onnx DIR}: saves a model file, or exports an ONNX file, of
 * {@link #first} and {@link #second} in turn, forever. Everything is seeded, so the parent can compute what each file
 * may hold.
 */
public final class CrashChild {
    /** A small GRU regressor on the adding problem. */
    static final Network NETWORK = Network.builder(2).layer(Sequence.of(GruCell.of(8)))
            .head(Head.of(1, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build();
    /** Training steps of a whole run. */
    static final int STEPS = 400;
    static final int BATCH = 8;

    private CrashChild() {
    }

    static Dataset data() {
        return Synthetic.adding(256, 6, 11);
    }

    /** The run: Adam, batch 8, seeded, a checkpoint after every step into {@code file}. */
    static Trainer trainer(Path file) {
        return Trainer.builder().optimizer(Optimizer.adam(1e-2)).batchSize(BATCH).examples((long) STEPS * BATCH)
                .seed(5).checkpointEvery(1, file).build();
    }

    static Parameters first() {
        return Initialization.defaults().initialize(NETWORK, 1);
    }

    static Parameters second() {
        return Initialization.defaults().initialize(NETWORK, 2);
    }

    /** The file each mode writes. */
    static Path target(String mode, Path dir) {
        return dir.resolve(mode.equals("onnx") ? "model.onnx" : mode + ".recurra");
    }

    /**
     * @param args the mode ({@code checkpoint}, {@code model} or {@code onnx}) and the directory
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path file = target(mode, Path.of(args[1]));
        switch (mode) {
            case "checkpoint" -> {
                try (Backend cpu = Backends.named("cpu"); Model m = cpu.compile(NETWORK, first())) {
                    trainer(file).fit(m, data());
                }
            }
            case "model" -> {
                ModelFile[] files = {ModelFile.of(NETWORK, first()), ModelFile.of(NETWORK, second())};
                for (long i = 0; ; i++) {
                    files[(int) (i % 2)].save(file);
                }
            }
            case "onnx" -> {
                Parameters[] ps = {first(), second()};
                for (long i = 0; ; i++) {
                    OnnxFormat.write(NETWORK, ps[(int) (i % 2)], file, OnnxExportOptions.defaults());
                }
            }
            default -> throw new IllegalArgumentException("mode must be checkpoint, model or onnx but was " + mode);
        }
    }
}
