package io.github.recurra.examples.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.Checkpoint;
import io.github.recurra.onnx.OnnxFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files survive a SIGKILL: a child JVM ({@link CrashChild}) writes a checkpoint after every training step, or saves a
 * model file, or exports an ONNX file, over and over, and is killed with SIGKILL ({@link Process#destroyForcibly}) at
 * a seeded random moment after its first file exists. Every time, the file on disk must load and be one that was
 * completely written: the checkpoint resumes, on the CPU backend, to exactly the parameters of the uninterrupted run;
 * the model and ONNX files hold, bit for bit, one of the two parameter sets the child alternates between.
 *
 * <p>{@value #DEFAULT_KILLS} kills per kind in the normal build; {@code -Drecurra.crash.kills=200} for the long run,
 * and {@code -Drecurra.crash.kinds=onnx} (a comma-separated list) to run some kinds only.
 */
class CrashSafetyTest {
    static final int DEFAULT_KILLS = 4;
    static final int KILLS = Integer.getInteger("recurra.crash.kills", DEFAULT_KILLS);
    static final List<String> KINDS = List.of(System.getProperty("recurra.crash.kinds", "checkpoint,model,onnx")
            .split(","));

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"checkpoint", "model", "onnx"})
    void theLastFileAlwaysLoadsAndIsWhole(String mode) throws Exception {
        Assumptions.assumeTrue(KINDS.contains(mode), () -> mode + " is not in -Drecurra.crash.kinds=" + KINDS);
        SplittableRandom r = new SplittableRandom(mode.hashCode());
        Parameters uninterrupted = mode.equals("checkpoint") ? uninterrupted() : null;
        List<Long> steps = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
            Path d = Files.createDirectory(dir.resolve(mode + kill));
            Path file = CrashChild.target(mode, d);
            Process p = start(mode, d);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(file)) {
                    if (!p.isAlive()) {
                        fail("the child ended before writing " + file + " (exit " + p.exitValue() + ")");
                    }
                    if (System.nanoTime() > deadline) {
                        fail("the child wrote no " + file + " within a minute");
                    }
                    Thread.sleep(2);
                }
                Thread.sleep(r.nextInt(mode.equals("checkpoint") ? 400 : 150));
            } finally {
                p.destroyForcibly();
                p.waitFor();
            }
            String what = mode + " file after kill " + (kill + 1) + " of " + KILLS;
            switch (mode) {
                case "checkpoint" -> {
                    Checkpoint c = Checkpoint.load(file);
                    steps.add(c.step());
                    assertSame(uninterrupted, resume(file), what + " (step " + c.step() + "), resumed to the end");
                }
                case "model" -> assertOneOfTheTwo(ModelFile.load(file).parameters(), what);
                default -> assertOneOfTheTwo(OnnxFormat.read(file).parameters(), what);
            }
        }
        if (mode.equals("checkpoint")) {
            // the kills landed at different steps, some before the end (so resuming was tested)
            assertTrue(steps.stream().anyMatch(s -> s < CrashChild.STEPS), "every kill came after the last step: "
                    + steps);
        }
    }

    private static Process start(String mode, Path d) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-Drecurra.cpu.threads=1", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), mode, d.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The whole run in this JVM (the CPU backend's results do not depend on its thread count; the child uses 1). */
    private Parameters uninterrupted() throws IOException {
        Path d = Files.createDirectory(dir.resolve("uninterrupted"));
        try (Backend cpu = Backends.named("cpu"); Model m = cpu.compile(CrashChild.NETWORK, CrashChild.first())) {
            CrashChild.trainer(d.resolve("c.recurra")).fit(m, CrashChild.data());
            return m.parameters();
        }
    }

    private static Parameters resume(Path checkpoint) {
        try (Backend cpu = Backends.named("cpu"); Model m = cpu.compile(CrashChild.NETWORK, CrashChild.first())) {
            CrashChild.trainer(checkpoint.resolveSibling("resumed.recurra")).resume(m, CrashChild.data(), checkpoint);
            return m.parameters();
        }
    }

    private static void assertSame(Parameters expected, Parameters actual, String what) {
        for (String name : expected.names()) {
            assertArrayEquals(expected.get(name).data(), actual.get(name).data(), what + ": " + name);
        }
    }

    private static void assertOneOfTheTwo(Parameters got, String what) {
        Parameters a = CrashChild.first();
        Parameters b = CrashChild.second();
        boolean isA = a.names().stream().allMatch(n -> Arrays.equals(a.get(n).data(), got.get(n).data()));
        boolean isB = b.names().stream().allMatch(n -> Arrays.equals(b.get(n).data(), got.get(n).data()));
        assertTrue(isA || isB, what + " holds neither of the two parameter sets written");
    }
}
