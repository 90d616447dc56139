package io.github.recurra.api.train;

import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerText;
import io.github.recurra.api.param.Parameters;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a training checkpoint stores: the model (network and parameters), the optimizer and its state (slots and
 * update count), the position in the data and the run's settings. Saved as a {@link ModelFile} (which
 * {@link ModelFile#load} reads for inference) with two extra sections: tensors {@code optimizer} (the slots) and text
 * {@code trainer} (the rest, the optimizer as {@link OptimizerText}). Written by {@link Trainer}'s
 * {@code checkpointEvery}, read by {@link Trainer#resume}.
 *
 * @param network    the network
 * @param parameters its parameters after {@code step}
 * @param optimizer  the optimizer
 * @param slots      the optimizer's slots ({@code <slot>/<parameter>})
 * @param updates    optimizer updates applied (more than {@code step} with truncated BPTT)
 * @param step       training steps done, at least 1
 * @param epoch      the epoch of the last step, from 1
 * @param position   examples of the epoch's permutation used so far
 * @param batchSize  examples per step
 * @param seed       the run's seed
 * @param truncation the truncated BPTT windows, or null for whole sequences
 * @param loss       the loss of the last step
 * @param learningRateFactor the training session's learning-rate factor after {@code step}
 *                   ({@link io.github.recurra.api.spi.TrainingSession#setLearningRateFactor}), positive; 1 unless a
 *                   callback changed it
 */
public record Checkpoint(Network network, Parameters parameters, Optimizer optimizer, Parameters slots, long updates,
        long step, int epoch, int position, int batchSize, long seed, TruncatedBptt truncation, double loss,
        double learningRateFactor) {

    /**
     * The version of the {@code trainer} section this class writes: 3 added {@code learningRateFactor}. Format 2
     * (written before it) is still read, with factor 1, which is what its runs used.
     */
    static final int FORMAT = 3;
    /** The oldest format this class reads. */
    static final int OLDEST_FORMAT = 2;
    private static final String PROGRESS = "trainer";
    private static final String SLOTS = "optimizer";
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);

    /**
     * Checks that nothing is missing.
     *
     * @param network    the network
     * @param parameters its parameters after {@code step}
     * @param optimizer  the optimizer
     * @param slots      the optimizer's slots ({@code <slot>/<parameter>})
     * @param updates    optimizer updates applied (more than {@code step} with truncated BPTT)
     * @param step       training steps done, at least 1
     * @param epoch      the epoch of the last step, from 1
     * @param position   examples of the epoch's permutation used so far
     * @param batchSize  examples per step
     * @param seed       the run's seed
     * @param truncation the truncated BPTT windows, or null for whole sequences
     * @param loss       the loss of the last step
     * @param learningRateFactor the learning-rate factor after {@code step}, positive and finite
     */
    public Checkpoint {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(slots, "slots");
        if (!(learningRateFactor > 0) || !Double.isFinite(learningRateFactor)) {
            throw new IllegalArgumentException("the learning-rate factor must be positive and finite but was "
                    + learningRateFactor);
        }
    }

    /**
     * Writes the checkpoint atomically (a reader sees the old file or the new one, never a mix).
     *
     * @param file the file
     */
    public void save(Path file) {
        Map<String, String> progress = new LinkedHashMap<>();
        progress.put("format", Integer.toString(FORMAT));
        progress.put("step", Long.toString(step));
        progress.put("epoch", Integer.toString(epoch));
        progress.put("position", Integer.toString(position));
        progress.put("batchSize", Integer.toString(batchSize));
        progress.put("optimizer", OptimizerText.write(optimizer));
        progress.put("loss", Double.toString(loss));
        progress.put("updates", Long.toString(updates));
        progress.put("seed", Long.toString(seed));
        progress.put("windows", windows(truncation));
        long t0 = System.nanoTime();
        progress.put("learningRateFactor", Double.toString(learningRateFactor));
        ModelFile.of(network, parameters).withTensors(SLOTS, slots).withText(PROGRESS, progress).save(file);
        LOG.debug("saved checkpoint of step {} (epoch {}, loss {}) to {} in {} ms", step, epoch, loss, file,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Reads a checkpoint.
     *
     * @param file the file
     * @return what it stores
     * @throws IllegalArgumentException if the file is not a model file or is damaged (as {@link ModelFile#load}),
     *     is a model file without training state, is in a checkpoint format this version does not read (it reads
     *     formats 2 and 3; format 2 files resume with learning-rate factor 1), or its training state is damaged; the
     *     message names the file
     */
    public static Checkpoint load(Path file) {
        ModelFile f = ModelFile.load(file);
        if (!f.has(PROGRESS) || !f.has(SLOTS)) {
            throw new IllegalArgumentException("model file " + file + " is not a training checkpoint (it has no "
                    + "optimizer state or progress); load it with ModelFile.load for inference");
        }
        Map<String, String> p = f.text(PROGRESS);
        String format = p.get("format");
        if (format == null) {
            throw new IllegalArgumentException("checkpoint " + file + " was written by an older version of Recurra "
                    + "(checkpoint format 1, which stored the optimizer only as a description) and cannot be resumed; "
                    + "its parameters load with ModelFile.load, or start the run again");
        }
        int version = readable(format);
        if (version < 0) {
            throw new IllegalArgumentException("checkpoint " + file + " has checkpoint format " + format + " but this "
                    + "version of Recurra reads formats " + OLDEST_FORMAT + " to " + FORMAT + "; resume it with the "
                    + "version that wrote it");
        }
        try {
            double factor = version >= 3 ? Double.parseDouble(required(p, "learningRateFactor")) : 1;
            return new Checkpoint(f.network(), f.parameters(), OptimizerText.parse(required(p, "optimizer")),
                    f.tensors(SLOTS), Long.parseLong(required(p, "updates")), Long.parseLong(required(p, "step")),
                    Integer.parseInt(required(p, "epoch")), Integer.parseInt(required(p, "position")),
                    Integer.parseInt(required(p, "batchSize")), Long.parseLong(required(p, "seed")),
                    parseWindows(required(p, "windows")), Double.parseDouble(required(p, "loss")), factor);
        } catch (IllegalArgumentException e) {
            // NumberFormatException is one too
            throw new IllegalArgumentException("checkpoint " + file + " is damaged: " + e.getMessage()
                    + "; resume from an earlier checkpoint or start the run again", e);
        }
    }

    /** @return the format number if this class reads it, else -1 */
    private static int readable(String format) {
        for (int v = OLDEST_FORMAT; v <= FORMAT; v++) {
            if (format.equals(Integer.toString(v))) {
                return v;
            }
        }
        return -1;
    }

    private static String required(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("its training state has no '" + key + "'");
        }
        return v;
    }

    /** @return {@code "none"} or {@code "forward/backward"} */
    static String windows(TruncatedBptt t) {
        return t == null ? "none" : t.forward() + "/" + t.backward();
    }

    private static TruncatedBptt parseWindows(String s) {
        if (s.equals("none")) {
            return null;
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("windows '" + s + "' are neither 'none' nor 'forward/backward'");
        }
        return new TruncatedBptt(Integer.parseInt(s.substring(0, slash)), Integer.parseInt(s.substring(slash + 1)));
    }
}
