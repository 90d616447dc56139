package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.Streaming;
import io.github.recurra.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Feeding a sequence step by step or chunk by chunk gives the whole sequence's outputs. */
class StreamingTest {
    static final Network NET = Network.builder(5)
            .layer(Sequence.builder(LstmCell.builder(20).peepholes(true).build()).returnSequences(true).build())
            .layer(Sequence.builder(GruCell.of(17)).returnSequences(true).build())
            .layer(Sequence.builder(RnnCell.of(16)).returnSequences(true).build())
            .head(Head.of(4, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY))
            .build();

    @Test
    void piecesEqualTheWholeSequence() {
        int b = 70;
        int t = 12;
        Tensor x = CpuModelTest.randomInputs(b, t, 5, 8);
        try (Backend backend = new CpuBackend(2);
                Model m = backend.compile(NET, Initialization.defaults().initialize(NET, 2))) {
            Forward whole = m.forward(x);
            for (int[] chunks : new int[][] {{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {5, 4, 3}, {11, 1}}) {
                Streaming s = m.openStream(b);
                int start = 0;
                for (int len : chunks) {
                    Forward part = s.feed(x.steps(start, len));
                    for (int i = 0; i < b; i++) {
                        for (int j = 0; j < len; j++) {
                            for (int c = 0; c < 4; c++) {
                                float want = whole.logits().data()[((i * t) + start + j) * 4 + c];
                                float got = part.logits().data()[((i * len) + j) * 4 + c];
                                assertEquals(want, got, 1e-6, "example " + i + " step " + (start + j));
                            }
                        }
                    }
                    start += len;
                }
                assertEquals(t, s.steps());
                for (int k = 0; k < 3; k++) {
                    float[] w = whole.finalStates().hidden().get(k).data();
                    float[] g = s.state().hidden().get(k).data();
                    for (int i = 0; i < w.length; i++) {
                        assertEquals(w[i], g[i], 1e-6, "final state of layer " + k);
                    }
                }
            }
        }
    }

    @Test
    void reverseLayersCannotStream() {
        Network rev = Network.builder(2).layer(Sequence.builder(GruCell.of(3)).direction(Direction.BIDIRECTIONAL)
                .build()).build();
        try (Backend backend = new CpuBackend(1);
                Model m = backend.compile(rev, Initialization.defaults().initialize(rev, 1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.openStream(1));
            assertTrue(e.getMessage().contains("layer 0 is bidirectional"), e.getMessage());
        }
    }
}
