package io.github.recurra.api.fuzz;

import static io.github.recurra.api.fuzz.FuzzContract.readsOrRefuses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The fuzz contract fails readers that break it, so that a passing fuzz test means something. */
class FuzzContractTest {
    @Test
    void passesAReadAndADocumentedRefusal() {
        assertEquals("ok", readsOrRefuses(10, () -> "ok", IllegalArgumentException.class));
        assertNull(readsOrRefuses(10, () -> {
            throw new IllegalArgumentException("input is truncated");
        }, IllegalArgumentException.class));
    }

    @Test
    void failsAnUndocumentedException() {
        AssertionError e = assertThrows(AssertionError.class, () -> readsOrRefuses(10, () -> new int[1][2][-1],
                IllegalArgumentException.class));
        assertTrue(e.getMessage().contains("NegativeArraySizeException"), e.getMessage());
    }

    @Test
    void failsARefusalWithoutAMessage() {
        assertThrows(AssertionError.class, () -> readsOrRefuses(10, () -> {
            throw new IllegalArgumentException(" ");
        }, IllegalArgumentException.class));
    }

    @Test
    void failsAnAllocationOutOfProportionToTheInput() {
        // 100 bytes of input, 64 MB allocated: what allocating a declared size before checking it looks like
        AssertionError e = assertThrows(AssertionError.class, () -> readsOrRefuses(100, () -> new byte[64 << 20],
                IllegalArgumentException.class));
        assertTrue(e.getMessage().contains("allocated"), e.getMessage());
    }
}
