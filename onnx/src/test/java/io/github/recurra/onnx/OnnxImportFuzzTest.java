package io.github.recurra.onnx;

import static io.github.recurra.api.fuzz.FuzzContract.readsOrRefuses;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.recurra.api.fuzz.FuzzSeeds;
import io.github.recurra.api.model.Network;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * The ONNX importer under arbitrary bytes ({@code FuzzContract} of the api's tests): it returns a network, or refuses
 * the bytes with an {@link IllegalArgumentException} and a message, with no other exception and no allocation out of
 * proportion to the bytes (a declared dimension is checked against the data that is there before anything is
 * allocated for it).
 *
 * <p>The seed corpus, {@code src/test/resources/io/github/recurra/onnx/OnnxImportFuzzTestInputs/importBytes/}, holds
 * models exported by Recurra and by PyTorch, with truncations and bit flips of each ({@link #main} writes it);
 * {@code scripts/fuzz.sh} fuzzes the target.
 */
class OnnxImportFuzzTest {
    /**
     * Imports one model before the targets run, so that loading and initialising the protobuf and importer classes
     * (tens of megabytes of allocation, once per JVM) is not counted against the first input.
     */
    @BeforeAll
    static void warmUp() {
        Network net = TestNetworks.all().values().iterator().next();
        OnnxFormat.fromBytes(OnnxFormat.toBytes(net, TestNetworks.parameters(net, 1), OnnxExportOptions.defaults()));
    }

    @FuzzTest(maxDuration = "10m")
    void importBytes(byte[] data) {
        readsOrRefuses(data.length, () -> OnnxFormat.fromBytes(data), IllegalArgumentException.class);
    }

    /**
     * Writes the seed corpus; run from the onnx module's directory with its test classpath.
     *
     * @param args none
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of("src/test/resources/io/github/recurra/onnx/OnnxImportFuzzTestInputs/importBytes");
        int i = 0;
        for (Map.Entry<String, Network> e : TestNetworks.all().entrySet()) {
            // a few of the option-covering networks: every fourth one keeps the corpus small
            if (i++ % 4 == 0) {
                byte[] bytes = OnnxFormat.toBytes(e.getValue(), TestNetworks.parameters(e.getValue(), 3),
                        OnnxExportOptions.defaults());
                FuzzSeeds.variants(dir, "recurra-" + e.getKey(), bytes);
            }
        }
        for (String fixture : new String[] {"lstm_l1_uni_last", "gru_l1_bi_every", "rnn_relu_l2_uni_last"}) {
            FuzzSeeds.variants(dir, "pytorch-" + fixture, PyTorchFixtures.bytes(fixture + ".onnx"));
        }
    }
}
