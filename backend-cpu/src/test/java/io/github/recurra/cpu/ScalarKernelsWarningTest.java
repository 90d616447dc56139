package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.BackendDescription;
import io.github.recurra.api.spi.Backends;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Which kernels the CPU backend chooses, what {@link Backend#describe()} says about them, and the one warning a JVM
 * without {@code --add-modules jdk.incubator.vector} gets: the selection and the warning as functions, the description
 * in this JVM (surefire starts it with the module), and a JVM started without the module.
 */
class ScalarKernelsWarningTest {
    private static final IntSupplier NO_BITS = () -> {
        throw new AssertionError("the species width was asked for although the kernels are scalar");
    };

    @Test
    void theModuleChoosesTheVectorKernelsAndThePropertyTurnsThemOff() {
        assertEquals(new Kernels(true, 256, false), Kernels.select(true, null, () -> 256));
        assertEquals(new Kernels(true, 512, false), Kernels.select(true, "true", () -> 512));
        assertEquals(new Kernels(false, 0, true), Kernels.select(false, null, NO_BITS));
        assertEquals(new Kernels(false, 0, true), Kernels.select(false, "", NO_BITS));
        assertEquals(new Kernels(false, 0, false), Kernels.select(true, " FALSE ", NO_BITS));
        assertEquals(new Kernels(false, 0, false), Kernels.select(false, "false", NO_BITS));
    }

    @Test
    void aMissingModuleIsWarnedAboutOnceAndAChoiceNever() {
        RecordingLogger log = new RecordingLogger("test");
        AtomicBoolean once = new AtomicBoolean();
        Kernels missing = Kernels.select(false, null, NO_BITS);
        assertTrue(Kernels.warnOnce(missing, once, log));
        assertFalse(Kernels.warnOnce(missing, once, log));
        assertFalse(Kernels.warnOnce(missing, once, log));
        assertEquals(1, log.warnings().size(), log.events.toString());
        assertNamesTheFix(log.warnings().get(0));

        RecordingLogger quiet = new RecordingLogger("quiet");
        AtomicBoolean fresh = new AtomicBoolean();
        assertFalse(Kernels.warnOnce(Kernels.select(false, "false", NO_BITS), fresh, quiet));
        assertFalse(Kernels.warnOnce(Kernels.select(true, null, () -> 256), fresh, quiet));
        assertEquals(List.of(), quiet.events);
        assertFalse(fresh.get());
    }

    /** Surefire runs this JVM with the module: the description says vector, at the JDK's preferred width. */
    @Test
    void theDescriptionSaysVectorHere() {
        try (Backend backend = Backends.named("cpu")) {
            BackendDescription d = backend.describe();
            assertEquals("cpu", d.name());
            assertEquals(Optional.of("vector"), d.get(BackendDescription.KERNELS));
            assertEquals(Optional.of(Integer.toString(FloatVector.SPECIES_PREFERRED.vectorBitSize())),
                    d.get(BackendDescription.VECTOR_BITS));
            assertEquals(Optional.of(Integer.toString(CpuBackendModule.defaultThreads())),
                    d.get(BackendDescription.THREADS));
            assertEquals(Optional.of("64"), d.get(BackendDescription.SHARD_ROWS));
        }
        try (Backend one = new CpuBackend(1)) {
            assertEquals(Map.of("kernels", "vector", "vector.bits",
                    Integer.toString(FloatVector.SPECIES_PREFERRED.vectorBitSize()), "threads", "1",
                    "shard.rows", "64"), one.describe().properties());
        }
    }

    /**
     * A JVM without the module: three backends, each described as scalar, and one warning in all. The JVM gets this
     * one's class path and {@link RecordingProvider} as SLF4J's provider.
     */
    @Test
    void withoutTheModuleTheBackendSaysScalarAndWarnsOnce() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dslf4j.provider=" + RecordingProvider.class.getName(), "-Drecurra.cpu.threads=2",
                ScalarKernelsProbe.class.getName()).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        List<String> described = lines.stream().filter(l -> l.startsWith("DESCRIBE ")).toList();
        assertEquals(List.of("DESCRIBE cpu kernels=scalar shard.rows=64 threads=2",
                "DESCRIBE cpu kernels=scalar shard.rows=64 threads=2",
                "DESCRIBE cpu kernels=scalar shard.rows=64 threads=2"), described, out);
        List<String> warnings = lines.stream().filter(l -> l.startsWith("EVENT WARN ")).toList();
        assertEquals(1, warnings.size(), out);
        assertNamesTheFix(warnings.get(0));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("EVENT ERROR")), out);
    }

    private static void assertNamesTheFix(String warning) {
        assertTrue(warning.contains("--add-modules jdk.incubator.vector"), warning);
        assertTrue(warning.contains("README section \"Vector API\""), warning);
        assertTrue(warning.contains("scalar"), warning);
    }
}
