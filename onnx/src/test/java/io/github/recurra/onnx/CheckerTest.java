package io.github.recurra.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.model.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every exported file passes ONNX's own checker ({@code onnx.checker.check_model(model, full_check=True)}, Debian's
 * {@code python3-onnx}), which also runs ONNX's shape inference. The checker is not ours and not Java: it runs as a
 * separate process. Without it the test is skipped, unless the environment variable
 * {@code RECURRA_REQUIRE_ONNX_CHECKER} is set (as {@code .ci/run} does after installing it), in which case it fails.
 */
class CheckerTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void everyExportPassesOnnxsChecker() throws IOException, InterruptedException {
        boolean required = System.getenv("RECURRA_REQUIRE_ONNX_CHECKER") != null;
        // isolated (-I), so that no folder named onnx beside the working directory passes for the package
        boolean available = Files.isExecutable(PYTHON)
                && run(PYTHON.toString(), "-I", "-c", "import onnx.checker") == 0;
        if (required) {
            assertTrue(available, "RECURRA_REQUIRE_ONNX_CHECKER is set but " + PYTHON + " cannot import onnx; "
                    + "install Debian's python3-onnx");
        }
        Assumptions.assumeTrue(available, "ONNX's checker is not installed (apt-get install python3-onnx)");
        Path dir = Path.of("target", "onnx-checker");
        Files.createDirectories(dir);
        try (var old = Files.list(dir)) {
            for (Path p : (Iterable<Path>) old::iterator) {
                Files.delete(p);
            }
        }
        int files = 0;
        for (Map.Entry<String, Network> e : TestNetworks.all().entrySet()) {
            for (int opset = OnnxExportOptions.MIN_OPSET; opset <= OnnxExportOptions.MAX_OPSET; opset++) {
                for (boolean all : new boolean[] {false, true}) {
                    OnnxExportOptions o = (all ? OnnxExportOptions.everything().toBuilder()
                            : OnnxExportOptions.builder()).opset(opset).build();
                    OnnxFormat.write(e.getValue(), TestNetworks.parameters(e.getValue(), 3), dir.resolve(e.getKey()
                            + "_opset" + opset + (all ? "_all" : "") + ".onnx"), o);
                    files++;
                }
            }
        }
        Path script = Path.of("..", "tools", "onnx", "check_models.py");
        Path log = dir.resolve("checker.log");
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), "-I", script.toString(), dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the checker did not finish in 5 minutes");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "ONNX's checker rejected exported files:\n" + out);
        assertTrue(out.contains("checked " + files + " files, 0 failed"), out);
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
