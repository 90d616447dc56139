package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Parsing the peer's BENCH lines, which end with what BLAS the peer ran on. */
class BenchCommandTest {

    @Test
    void parsesBenchLinesWithAndWithoutTheBlasFields() {
        BenchCommand.Result plain = BenchCommand.parse("BENCH backend=pytorch cell=lstm train_step_ms=25.50 "
                + "infer_b128_ms=8.34 infer_b1_ms=0.413");
        assertEquals(new BenchCommand.Result("pytorch", "lstm", 25.5, 8.34, 0.413), plain);
        BenchCommand.Result blas = BenchCommand.parse("BENCH backend=pytorch cell=gru train_step_ms=20.40 "
                + "infer_b128_ms=5.95 infer_b1_ms=0.358 blas=libopenblasp-r0.3.21.so openblas_core=Haswell");
        assertEquals(new BenchCommand.Result("pytorch", "gru", 20.4, 5.95, 0.358), blas);
        assertEquals(Double.NaN, BenchCommand.parse("BENCH backend=onnx cell=rnn train_step_ms=n/a "
                + "infer_b128_ms=1.00 infer_b1_ms=0.100").trainMs());
        assertNull(BenchCommand.parse("# peer torch 1.13.0a0, 2 threads"));
        assertNull(BenchCommand.parse("BENCH backend=pytorch cell=gru train_step_ms=x infer_b128_ms=5.95 "
                + "infer_b1_ms=0.358"));
    }
}
