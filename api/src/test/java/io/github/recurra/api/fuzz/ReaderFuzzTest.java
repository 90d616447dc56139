package io.github.recurra.api.fuzz;

import static io.github.recurra.api.fuzz.FuzzContract.readsOrRefuses;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.recurra.api.data.CharText;
import io.github.recurra.api.data.Idx;
import io.github.recurra.api.data.TimeSeries;
import io.github.recurra.api.io.ModelFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The api's readers of outside data under arbitrary input ({@link FuzzContract}): IDX bytes and files (plain and
 * gzipped), model files, spec text, CSV time series and character text.
 *
 * <p>In the normal test run each target runs once on every file of its seed corpus,
 * {@code src/test/resources/io/github/recurra/api/fuzz/ReaderFuzzTestInputs/<target>/} (valid inputs, truncations,
 * bit flips, and whatever fuzzing found; {@code FuzzSeeds} writes the generated part). {@code scripts/fuzz.sh} fuzzes
 * each target for a set time (Jazzer's fuzzing mode, {@code JAZZER_FUZZ=1}); an input that breaks the contract is
 * written into the target's corpus folder, to be committed with its fix.
 */
class ReaderFuzzTest {
    private static Path dir;

    @BeforeAll
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("recurra-fuzz");
    }

    @AfterAll
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private static Path file(String name, byte[] data) {
        Path f = dir.resolve(name);
        try {
            Files.write(f, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    @FuzzTest(maxDuration = "10m")
    void idxBytes(byte[] data) {
        readsOrRefuses(data.length, () -> Idx.parse(data, "fuzz input"), IllegalArgumentException.class);
    }

    @FuzzTest(maxDuration = "10m")
    void idxFile(byte[] data) {
        // plain or gzipped, with a limit on what it may inflate to in proportion to the file
        Path f = file("input.idx", data);
        long limit = 16L * data.length + 1024;
        readsOrRefuses(data.length, () -> Idx.read(f, limit), IllegalArgumentException.class);
    }

    @FuzzTest(maxDuration = "10m")
    void modelFile(byte[] data) {
        readsOrRefuses(data.length, () -> ModelFile.fromBytes(data), IllegalArgumentException.class);
    }

    @FuzzTest(maxDuration = "10m")
    void specText(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        readsOrRefuses(data.length, () -> ModelFile.parseSpec(text), IllegalArgumentException.class);
    }

    @FuzzTest(maxDuration = "10m")
    void csv(byte[] data) {
        Path f = file("input.csv", data);
        readsOrRefuses(data.length, () -> TimeSeries.readCsv(f, List.of("0"), List.of("1"), 2, 1, 0.6, 0.2),
                IllegalArgumentException.class);
    }

    @FuzzTest(maxDuration = "10m")
    void charText(FuzzedDataProvider in) {
        int window = in.consumeInt(0, 16);
        int stride = in.consumeInt(0, 16);
        // 256 characters at most: the one-hot inputs are examples × window × vocabulary floats
        String text = in.consumeRemainingAsString();
        String cut = text.length() > 256 ? text.substring(0, 256) : text;
        readsOrRefuses(cut.length(), () -> CharText.of(cut, window, stride), IllegalArgumentException.class);
    }
}
