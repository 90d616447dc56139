package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.optim.LearningRateSchedule;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerText;
import io.github.recurra.api.train.Checkpoint;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.api.train.TruncatedBptt;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints store the optimizer as text, resume compares it by equality, and bad files get clear errors. */
class CheckpointFileTest {
    @TempDir
    Path dir;

    static Optimizer warmCosine() {
        return Adam.builder().schedule(LearningRateSchedule.cosine(0.01, 10, 0.0).withWarmup(3)).build();
    }

    @Test
    void aScheduledOptimizerResumesAndAnotherIsNamed() {
        Path ckpt = dir.resolve("run.ckpt");
        Trainer.builder().optimizer(warmCosine()).batchSize(2).examples(8).checkpointEvery(2, ckpt).build()
                .fit(new TrainerTest.ScriptedModel(0.5, 0.4, 0.3, 0.2), TrainerTest.data(10));
        Checkpoint c = Checkpoint.load(ckpt);
        assertEquals(warmCosine(), c.optimizer());
        assertEquals(4, c.step());
        assertEquals(4, c.updates());
        assertNull(c.truncation());
        // a separately built but equal optimizer resumes (this failed when lambdas were compared by toString)
        Trainer.builder().optimizer(warmCosine()).batchSize(2).examples(12).build()
                .resume(new TrainerTest.ScriptedModel(0.1, 0.1), TrainerTest.data(10), ckpt);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .optimizer(Optimizer.adam(0.01)).batchSize(2).examples(12).build()
                .resume(new TrainerTest.ScriptedModel(0.1), TrainerTest.data(10), ckpt));
        assertTrue(e.getMessage().contains("was written with optimizer Adam{lr=cosine(0.01, over 10, min 0.0) with "
                + "warm-up 3") && e.getMessage().contains("but this trainer has Adam{lr=constant(0.01)")
                && e.getMessage().contains("resume with the same settings"), e.getMessage());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .optimizer(warmCosine()).batchSize(2).examples(12).truncatedBptt(new TruncatedBptt(2, 1)).build()
                .resume(new TrainerTest.ScriptedModel(0.1), TrainerTest.data(10), ckpt));
        assertTrue(w.getMessage().contains("truncation windows none but this trainer has 2/1"), w.getMessage());
    }

    @Test
    void filesThatAreNotCurrentCheckpointsAreRefusedWithTheReason() {
        TrainerTest.ScriptedModel m = new TrainerTest.ScriptedModel();
        Path plain = dir.resolve("plain.rcr");
        ModelFile.of(TrainerTest.NET, m.parameters()).save(plain);
        assertMessage("is not a training checkpoint", plain);
        Path old = dir.resolve("old.ckpt");
        ModelFile.of(TrainerTest.NET, m.parameters()).withTensors("optimizer", m.parameters().zerosLike())
                .withText("trainer", Map.of("step", "1", "optimizerSpec", "Adam{...}")).save(old);
        assertMessage("written by an older version of Recurra (checkpoint format 1", old);
        Path future = dir.resolve("future.ckpt");
        ModelFile.of(TrainerTest.NET, m.parameters()).withTensors("optimizer", m.parameters().zerosLike())
                .withText("trainer", Map.of("format", "4")).save(future);
        assertMessage("has checkpoint format 4 but this version of Recurra reads formats 2 to 3", future);
        Path damaged = dir.resolve("damaged.ckpt");
        ModelFile.of(TrainerTest.NET, m.parameters()).withTensors("optimizer", m.parameters().zerosLike())
                .withText("trainer", Map.of("format", "2", "optimizer", OptimizerText.write(Optimizer.adam(0.001)))).save(damaged);
        assertMessage("is damaged: its training state has no 'updates'", damaged);
    }

    private static void assertMessage(String part, Path file) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains(part) && e.getMessage().contains(file.toString()), e.getMessage());
    }
}
