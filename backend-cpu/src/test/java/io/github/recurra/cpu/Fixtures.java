package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.conformance.Golden;

/** Shared helpers of the CPU backend's tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** A one-layer network for a golden case, returning every step, with a classifier head if the case has one. */
    static Network network(Golden g) {
        Cell cell = g.cell();
        boolean head = g.has("classes");
        Network.Builder b = Network.builder(g.integer("input"))
                .layer(Sequence.builder(cell).returnSequences(!head).build());
        if (head) {
            b.head(Head.classifier(g.integer("classes")));
        }
        return b.build();
    }

    /** The case's parameters in canonical layout. */
    static Parameters parameters(Golden g, Network net) {
        Parameters p = Parameters.zerosFor(net);
        copy(g.floats("W"), p.get(Parameters.w(0)));
        copy(g.floats("R"), p.get(Parameters.r(0)));
        copy(g.floats("B"), p.get(Parameters.b(0)));
        if (p.contains(Parameters.p(0))) {
            copy(g.floats("P"), p.get(Parameters.p(0)));
        }
        if (p.contains(Parameters.HEAD_W)) {
            copy(g.floats("headW"), p.get(Parameters.HEAD_W));
            copy(g.floats("headB"), p.get(Parameters.HEAD_B));
        }
        return p;
    }

    static void copy(float[] src, Tensor dst) {
        assertEquals(dst.size(), src.length, "golden array length for " + dst);
        System.arraycopy(src, 0, dst.data(), 0, src.length);
    }

    /** Asserts |a − e| ≤ abs + rel·|e| elementwise, reporting the worst element. */
    static void assertClose(float[] expected, float[] actual, double abs, double rel, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]);
            double excess = err - (abs + rel * Math.abs(expected[i]));
            if (excess > worstExcess || Double.isNaN(actual[i])) {
                worstExcess = Double.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " is " + actual[worst] + " but " + expected[worst] + " was expected"
                    + " (tolerance " + abs + " + " + rel + "·|expected|)");
        }
    }
}
