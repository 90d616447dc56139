package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Messages that say what to do: parameters of another network, and backends that are not on the classpath. */
class MismatchMessagesTest {

    private static Network lstm(int inputs, int hidden) {
        return Network.builder(inputs).layer(Sequence.of(LstmCell.of(hidden))).head(Head.classifier(10)).build();
    }

    @Test
    void parametersOfAnotherNetworkNameBothNetworksAndWhatToDo() {
        Parameters saved = Initialization.defaults().initialize(lstm(28, 128), 1);
        Network other = Network.builder(28).layer(Sequence.builder(GruCell.of(64))
                .direction(Direction.BIDIRECTIONAL).build()).head(Head.classifier(10)).build();
        String m = assertThrows(IllegalArgumentException.class, () -> saved.checkMatches(other)).getMessage();
        assertTrue(m.startsWith("these parameters are for a network of LSTM(128, input 28) -> head(10), not a "
                + "network of GRU(64, input 28, bidirectional) -> head(10) (parameter 'layer0.W' has shape "
                + "[1, 512, 28] but the network needs [2, 192, 28]); compile a saved model's own network with its "
                + "parameters (saved.network() with saved.parameters())"), m);

        String peep = assertThrows(IllegalArgumentException.class, () -> saved.checkMatches(Network.builder(28)
                .layer(Sequence.of(LstmCell.builder(128).peepholes(true).build())).head(Head.classifier(10)).build()))
                .getMessage();
        assertTrue(peep.startsWith("these parameters are for a network of LSTM(128, input 28) -> head(10), not a "
                + "network of LSTM with peepholes(128, input 28) -> head(10) (parameter 'layer0.P'"), peep);
    }

    @Test
    void aLayoutOfNoNetworkKeepsTheDetailedMessage() {
        Parameters p = Initialization.defaults().initialize(lstm(5, 4), 1);
        p.put("layer0.R", Tensor.zeros(1, 16, 5));
        String m = assertThrows(IllegalArgumentException.class, () -> p.checkMatches(lstm(5, 4))).getMessage();
        assertEquals("parameter 'layer0.R' has shape [1, 16, 5] but the network needs [1, 16, 4]", m);
    }

    @Test
    void backendsThatAreNotOnTheClasspathSayWhichDependencyBringsThem() {
        // the api module's tests have no backend on the classpath
        assertEquals(java.util.List.of(), Backends.available());
        String tf = assertThrows(IllegalArgumentException.class, () -> Backends.named("TensorFlow")).getMessage();
        assertTrue(tf.startsWith("backend 'TensorFlow' is not on the classpath; add the dependency "
                + "io.github.recurra:recurra-backend-tensorflow (runtime scope is enough), or choose another: "
                + "available on the classpath: none; known but not on the classpath: cpu "
                + "(io.github.recurra:recurra-backend-cpu), tensorflow (io.github.recurra:recurra-backend-tensorflow), "
                + "onnx (io.github.recurra:recurra-backend-onnx)"), tf);
        String unknown = assertThrows(IllegalArgumentException.class, () -> Backends.provider("cuda")).getMessage();
        assertTrue(unknown.startsWith("no backend is named 'cuda'; available on the classpath: none; known but not "
                + "on the classpath: cpu"), unknown);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backends.named(" ")).getMessage()
                .startsWith("a backend name is needed but ' ' was given"));
    }
}
