package io.github.recurra.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files written by {@code torch.onnx.export} import and, on the CPU backend, reproduce PyTorch's eager outputs
 * (logits, output sequences, final states) at two batch and time sizes.
 */
public class PyTorchImportTest {
    /** The bound; observed differences are about 1e-7. */
    public static final float TOLERANCE = 1e-5f;
    private static Backend cpu;

    @BeforeAll
    static void backend() {
        cpu = Backends.named("cpu");
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    public static List<String> cases() {
        return PyTorchFixtures.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void importsAndPredictsPyTorchsOutputs(String name) {
        check(cpu, name);
    }

    /** Imports a case, runs it on the backend and compares with PyTorch's outputs. */
    public static void check(Backend backend, String name) {
        OnnxModel m = OnnxFormat.fromBytes(PyTorchFixtures.bytes(name + ".onnx"));
        JsonObject expected = PyTorchFixtures.json(name + ".json");
        Network n = m.network();
        int dirs = n.layers().get(0).direction().count();
        try (Model model = backend.compile(n, m.parameters())) {
            for (String set : new String[] {"A", "B"}) {
                JsonObject in = expected.getAsJsonObject("inputs").getAsJsonObject(set);
                JsonObject out = expected.getAsJsonObject("outputs").getAsJsonObject(set);
                Tensor x = PyTorchFixtures.tensor(in.getAsJsonObject("input"));
                States initial = null;
                if (in.has("h0")) {
                    initial = PyTorchFixtures.states(PyTorchFixtures.tensor(in.getAsJsonObject("h0")),
                            in.has("c0") ? PyTorchFixtures.tensor(in.getAsJsonObject("c0")) : null, dirs);
                }
                Forward f = initial == null ? model.forward(x) : model.forward(x, initial);
                for (String key : out.keySet()) {
                    Tensor want = PyTorchFixtures.tensor(out.getAsJsonObject(key));
                    Tensor got = switch (key) {
                        case "logits" -> f.logits();
                        case "y" -> f.output();
                        case "h_n" -> Tensor.of(PyTorchFixtures.stacked(f.finalStates().hidden()), want.shape());
                        case "c_n" -> Tensor.of(PyTorchFixtures.stacked(f.finalStates().cell()), want.shape());
                        default -> throw new AssertionError("unknown expected output " + key);
                    };
                    assertArrayEquals(want.shape(), got.shape(), name + " " + set + " " + key + " shape");
                    float d = PyTorchFixtures.maxAbsDiff(want.data(), got.data());
                    assertTrue(d <= TOLERANCE, name + " " + set + " " + key + ": largest difference " + d
                            + " > " + TOLERANCE + " (" + n + ")");
                }
            }
        }
    }
}
