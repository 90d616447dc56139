package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * The products' operation count of the reference LSTM step, counted by hand: forward 2·B·4H·(I + H)·T =
     * 572,522,496; backward dW, dR and dH 2·B·4H·(I + 2H)·T = 1,042,284,544; the head 3 · 2·B·H·10 = 983,040.
     */
    @Test
    void countsTheProductsOfTheReferenceStep() {
        assertEquals(1_615_790_080d, BenchCommand.trainFlops("lstm", 128, 28, 28, 128, 1, 10));
        assertEquals(572_522_496d + 327_680d, BenchCommand.inferFlops("lstm", 128, 28, 28, 128, 1, 10));
        // a second layer reads H inputs and also sends a gradient into them: 2·B·G·H·(H + H + (H + 2H) + H)·T more
        double g = 3 * 64.0;
        assertEquals(BenchCommand.trainFlops("gru", 8, 5, 7, 64, 1, 10) + 2 * 8 * g * (6 * 64.0) * 5,
                BenchCommand.trainFlops("gru", 8, 5, 7, 64, 2, 10));
        assertEquals(20.0, BenchCommand.gflops(1e9, 50));
    }

    @Test
    void readsThePeersPeakAndSweepLines() {
        assertEquals(150.3, BenchCommand.peakGflops("PEAK backend=pytorch threads=2 sgemm_gflops=150.3 "
                + "sgemm_1t_gflops=80.1 n=1024 blas=openblas-0.3.21-openmp openblas_core=Zen"));
        assertNull(BenchCommand.peakGflops("BENCH backend=pytorch cell=lstm train_step_ms=25.50 infer_b128_ms=8.34 "
                + "infer_b1_ms=0.413"));
        assertEquals(new BenchCommand.Sweep("pytorch", "gru", 512, 32, 2, 28, 173.25, Double.NaN),
                BenchCommand.Sweep.parse("SWEEP backend=pytorch cell=gru hidden=512 batch=32 layers=2 time=28 "
                        + "train_step_ms=173.25"));
        BenchCommand.Sweep ours = new BenchCommand.Sweep("cpu", "lstm", 128, 128, 1, 56, 23.5, 41.2);
        assertTrue(ours.line().endsWith(" mem_mb=41.2"), ours.line());
        assertEquals(ours, BenchCommand.Sweep.parse(ours.line()));
        assertNull(BenchCommand.Sweep.parse("SWEEPRATIO backend=cpu cell=lstm hidden=128 batch=32 layers=1 time=28"));
        // 12 points at T=28 and 3 more in T; the peer (serve mode) times each point the sweep sends it
        assertEquals(15, BenchCommand.sweepPoints().size());
    }
}
