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
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.UnsupportedCapabilityException;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a network needs, and the error a backend gives when it lacks it. */
class CapabilityTest {

    /** A backend that infers forward LSTMs only. */
    static final class Narrow implements Backend {
        @Override
        public String name() {
            return "narrow";
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.INFERENCE, Capability.LSTM);
        }

        @Override
        public Model compile(Network network, Parameters parameters) {
            requireAll(network);
            throw new AssertionError("not reached in these tests");
        }
    }

    @Test
    void requiredCapabilitiesFollowTheSpec() {
        Network n = Network.builder(3)
                .layer(Sequence.builder(LstmCell.builder(4).peepholes(true).build())
                        .direction(Direction.BIDIRECTIONAL).returnSequences(true).build())
                .layer(Sequence.builder(GruCell.of(4)).returnSequences(true).build())
                .dropout(0.2)
                .head(Head.of(2, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build();
        assertEquals(EnumSet.of(Capability.INFERENCE, Capability.LSTM, Capability.GRU, Capability.PEEPHOLES,
                Capability.BIDIRECTIONAL, Capability.STACKED_LAYERS, Capability.LAYER_DROPOUT,
                Capability.PER_STEP_HEAD, Capability.REGRESSION_LOSS), Capability.requiredBy(n));
    }

    @Test
    void missingCapabilityFailsAtOnceNamingBoth() {
        Network reverse = Network.builder(3)
                .layer(Sequence.builder(LstmCell.of(4)).direction(Direction.REVERSE).build()).build();
        UnsupportedCapabilityException e = assertThrows(UnsupportedCapabilityException.class,
                () -> new Narrow().compile(reverse, Parameters.zerosFor(reverse)));
        assertEquals(Capability.REVERSE, e.capability());
        assertEquals("narrow", e.backend());
        assertTrue(e.getMessage().contains("backend 'narrow' does not support REVERSE"), e.getMessage());
    }
}
