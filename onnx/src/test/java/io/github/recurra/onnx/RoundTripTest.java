package io.github.recurra.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Export then import gives back the same spec and bit-identical parameters, for every option and every opset. */
class RoundTripTest {

    static Stream<Arguments> cases() {
        return TestNetworks.all().entrySet().stream().flatMap(e -> IntStream.of(11, 13, 14, 17).mapToObj(opset ->
                Arguments.of(e.getKey(), e.getValue(), opset)));
    }

    @ParameterizedTest(name = "{0}, opset {2}")
    @MethodSource("cases")
    void exportThenImportIsExact(String name, Network network, int opset) {
        Parameters p = TestNetworks.parameters(network, name.hashCode());
        for (OnnxExportOptions o : new OnnxExportOptions[] {OnnxExportOptions.builder().opset(opset).build(),
                OnnxExportOptions.everything().toBuilder().opset(opset).build()}) {
            OnnxModel m = OnnxFormat.fromBytes(OnnxFormat.toBytes(network, p, o));
            assertEquals(network, m.network(), "spec, options " + o);
            assertEquals(p.names(), m.parameters().names());
            for (Map.Entry<String, io.github.recurra.api.tensor.Tensor> t : p.asMap().entrySet()) {
                io.github.recurra.api.tensor.Tensor got = m.parameters().get(t.getKey());
                assertArrayEquals(t.getValue().shape(), got.shape(), t.getKey());
                assertArrayEquals(t.getValue().data(), got.data(), t.getKey() + " must be bit-identical");
            }
            assertEquals(OnnxFormat.PRODUCER, m.producer());
        }
    }
}
