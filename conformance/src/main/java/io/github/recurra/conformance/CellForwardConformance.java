package io.github.recurra.conformance;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cell forward passes against golden vectors from implementations Recurra did not write: ONNX's own operator test
 * cases (numpy reference: defaults, initial bias, peepholes, sequence lengths, GRU in both reset modes), PyTorch's
 * {@code nn.LSTM}/{@code nn.GRU}/{@code nn.RNN}, and ONNX Runtime evaluating one {@code LSTM}/{@code GRU}/{@code RNN}
 * node for what those two lack (cell clip, the coupled input-forget gate, every activation, reverse, bidirectional,
 * sequence lengths). Every step's output, the final hidden state and the final cell state are compared with
 * {@link Tolerances#forward()}, and outputs past an example's length must be exactly 0; and whole networks' logits
 * against PyTorch, among them heads on {@code y[:, -1, :]} of bidirectional layers.
 */
@ConformanceArea("cell forward")
public abstract class CellForwardConformance extends ConformanceBase {

    /**
     * @param under the backend under test
     */
    protected CellForwardConformance(BackendUnderTest under) {
        super(under);
    }

    static List<String> cases() {
        List<String> all = new ArrayList<>(Golden.CELL_CASES);
        all.addAll(Golden.ORT_CASES);
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.recurra.conformance.CellForwardConformance#cases")
    void matchesIndependentImplementation(String name) {
        matchesGolden(GoldenCase.load(name));
    }

    static List<String> networks() {
        List<String> all = new ArrayList<>(Golden.NETWORK_CASES);
        all.addAll(Golden.LAST_TIME_INDEX_CASES);
        return all;
    }

    /**
     * Whole networks (a dense head on the last step) against PyTorch: the logits of a forward pass. One case is an
     * LSTM with forget bias 1.0 the way Recurra initialises it (the forget block of the input bias), as TensorFlow's
     * {@code BasicLSTMCell(forget_bias=1.0)} computes it; the {@link Golden#LAST_TIME_INDEX_CASES} read the last
     * layer at its last time index ({@code y[:, -1, :]}), with lengths and initial states where the case has them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.recurra.conformance.CellForwardConformance#networks")
    void networkLogitsMatchPyTorch(String name) {
        GoldenCase c = GoldenCase.load(name);
        Batch inputs = new Batch(c.batch.inputs(), null, null, c.batch.lengths());
        try (Model m = compile(c.network, c.parameters, needs(c.network, inputs, c.initial, false))) {
            Forward f = m.forward(inputs, c.initial);
            tolerances().forward().assertClose(c.golden.floats("logits"), f.logits().data(), name + ": logits");
        }
    }
}
