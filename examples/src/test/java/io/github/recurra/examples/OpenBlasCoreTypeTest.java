package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer benchmark's choice of OpenBLAS core type ({@code openblas_coretype} in {@code bench/openblas-coretype.sh},
 * which {@code bench/pytorch-bench.sh} sources), run by bash on made-up {@code /proc/cpuinfo} files: SkylakeX only
 * when the flags list {@code avx512f} (forcing it elsewhere kills PyTorch with SIGILL), nothing (OpenBLAS' own pick)
 * on AVX2 machines or with {@code AVX512=0}.
 */
class OpenBlasCoreTypeTest {
    /** Surefire runs in the module directory; the scripts are in the repository's {@code bench}. */
    private static final Path SCRIPT = Path.of("..", "bench", "openblas-coretype.sh");

    @TempDir
    Path dir;

    @Test
    void skylakeXOnlyWithAvx512() throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(SCRIPT), SCRIPT.toAbsolutePath().toString());
        Path avx512 = write("avx512", MachineTest.AVX512);
        Path avx2 = write("avx2", MachineTest.AVX2);
        Path none = write("none", MachineTest.NONE);
        // avx512f only in a model name, not in the flags, does not count
        Path named = write("named", "model name\t: avx512f lookalike\nflags\t\t: fpu avx avx2\n");
        assertEquals("SkylakeX", coreType(avx512, "1"));
        assertEquals("", coreType(avx512, "0"));
        assertEquals("", coreType(avx2, "1"));
        assertEquals("", coreType(none, "1"));
        assertEquals("", coreType(named, "1"));
        assertEquals("", coreType(dir.resolve("absent"), "1"));
    }

    private Path write(String name, String cpuinfo) throws IOException {
        return Files.writeString(dir.resolve(name), cpuinfo, StandardCharsets.UTF_8);
    }

    /** @return what {@code openblas_coretype CPUINFO AVX512} prints, trimmed; fails unless bash exits with 0 */
    private static String coreType(Path cpuinfo, String avx512) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "set -euo pipefail; . \"$1\"; openblas_coretype \"$2\" \"$3\"",
                "openblas-coretype-test", SCRIPT.toString(), cpuinfo.toString(), avx512).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out.trim();
    }
}
