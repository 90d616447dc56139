package io.github.recurra.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The pins against files fetched by other means: scripts/fetch-mnist.sh checks MNIST with its own MD5 list (CI runs
 * it and requires MNIST, RECURRA_REQUIRE_MNIST=1), so a wrong pin here fails; vega-datasets files are checked when a
 * cache holds them. Either way nothing is downloaded or written: the files are there.
 */
class NpmDatasetsTest {

    @Test
    void theMnistPinsMatchTheCachedFiles() {
        Path dir = NpmDatasets.defaultMnistDir();
        boolean there = NpmDatasets.mnistFiles().stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
        if (!there) {
            if ("1".equals(System.getenv("RECURRA_REQUIRE_MNIST"))) {
                throw new AssertionError("RECURRA_REQUIRE_MNIST=1 but real MNIST is not in " + dir);
            }
            Assumptions.abort("real MNIST is not in " + dir + " (scripts/fetch-mnist.sh puts it there)");
        }
        assertEquals(dir, NpmDatasets.mnist(dir, Progress.none()));
    }

    @Test
    void theVegaPinsMatchTheCachedFiles() {
        Path dir = NpmDatasets.defaultVegaDir();
        List<String> there = NpmDatasets.vegaFiles().stream().filter(f -> Files.isRegularFile(dir.resolve(f))).toList();
        Assumptions.assumeFalse(there.isEmpty(), "no vega-datasets file in " + dir);
        for (String f : there) {
            assertEquals(dir.resolve(f), NpmDatasets.vega(f, dir, Progress.none()));
        }
    }
}
