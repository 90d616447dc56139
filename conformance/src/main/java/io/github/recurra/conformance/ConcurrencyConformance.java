package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.TrainingSession;
import io.github.recurra.api.spi.UnsupportedCapabilityException;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * Many threads at once: {@link Model#forward} called from {@value #THREADS} threads on one model, and on two models
 * of one backend, gives every thread the outputs the same call gives on one thread, bit for bit (each thread runs
 * batches of different sizes and contents, so an output that went to the wrong caller or a state shared between calls
 * shows); and {@link Model#close} while calls are in flight lets each of them either finish with those outputs or fail
 * with {@link IllegalStateException} saying the model was closed, never anything else (no native crash, no
 * half-computed result); and training steps racing inference on the same model are serialised: every inference call
 * computes, bit for bit, with the parameters some step left (or the initial ones), never a mix of before and after an
 * update (a backend that does not train must refuse the first step with {@link UnsupportedCapabilityException}).
 */
@ConformanceArea("concurrency")
public abstract class ConcurrencyConformance extends ConformanceBase {
    /** Threads calling at once. */
    static final int THREADS = 16;
    /** Calls per thread in the agreement tests. */
    static final int CALLS = 6;

    /** Two layers (an LSTM returning every step under a GRU) and a head. */
    static final Network NETWORK = Network.builder(4)
            .layer(Sequence.builder(LstmCell.of(6)).returnSequences(true).build())
            .layer(Sequence.of(GruCell.of(5)))
            .head(Head.classifier(3)).build();

    /**
     * @param under the backend under test
     */
    protected ConcurrencyConformance(BackendUnderTest under) {
        super(under);
    }

    /** Eight batches of 1 to 9 examples, 3 to 7 steps, seeded. */
    static List<Batch> batches() {
        SplittableRandom r = new SplittableRandom(5);
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int b = 1 + r.nextInt(9);
            int t = 3 + r.nextInt(5);
            float[] x = new float[b * t * 4];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) r.nextGaussian();
            }
            out.add(new Batch(Tensor.of(x, b, t, 4), null));
        }
        return out;
    }

    private Model compile(long seed) {
        return compile(NETWORK, Initialization.defaults().initialize(NETWORK, seed), null);
    }

    /** @return a copy of the call's logits (a copy, so that a backend that reuses one array for them is caught) */
    private static float[] logits(Forward f) {
        return f.logits().data().clone();
    }

    @Test
    void manyThreadsOnOneModelGetTheSingleThreadOutputs() throws InterruptedException {
        List<Batch> batches = batches();
        try (Model m = compile(1)) {
            float[][] expected = new float[batches.size()][];
            for (int i = 0; i < batches.size(); i++) {
                expected[i] = logits(m.forward(batches.get(i), null));
            }
            Queue<String> wrong = run(THREADS, (thread, call) -> {
                int i = (thread + call) % batches.size();
                float[] got = logits(m.forward(batches.get(i), null));
                return Arrays.equals(expected[i], got) ? null
                        : "thread " + thread + " call " + call + ": batch " + i + "'s logits differ from one thread's";
            });
            assertTrue(wrong.isEmpty(), () -> wrong.size() + " of " + THREADS * CALLS + " concurrent calls on one '"
                    + backendName() + "' model did not give the single-thread outputs, for example: " + wrong.peek());
        }
    }

    @Test
    void manyThreadsOnTwoModelsGetEachModelsOwnOutputs() throws InterruptedException {
        List<Batch> batches = batches();
        try (Model a = compile(1); Model b = compile(2)) {
            Model[] models = {a, b};
            float[][][] expected = new float[2][batches.size()][];
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < batches.size(); i++) {
                    expected[k][i] = logits(models[k].forward(batches.get(i), null));
                }
            }
            assertTrue(!Arrays.equals(expected[0][0], expected[1][0]), "the two models must differ for this test");
            Queue<String> wrong = run(THREADS, (thread, call) -> {
                int k = (thread + call) % 2;
                int i = (thread * 3 + call) % batches.size();
                float[] got = logits(models[k].forward(batches.get(i), null));
                return Arrays.equals(expected[k][i], got) ? null
                        : "thread " + thread + " call " + call + ": model " + k + ", batch " + i + " differs";
            });
            assertTrue(wrong.isEmpty(), () -> wrong.size() + " of " + THREADS * CALLS + " concurrent calls on two '"
                    + backendName() + "' models did not give that model's single-thread outputs, for example: "
                    + wrong.peek());
        }
    }

    @Test
    void closingWhileCallsAreInFlightLetsEachFinishOrFailClearly() throws InterruptedException {
        List<Batch> batches = batches();
        Model m = compile(3);
        float[][] expected = new float[batches.size()][];
        for (int i = 0; i < batches.size(); i++) {
            expected[i] = logits(m.forward(batches.get(i), null));
        }
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> threads = startAll(THREADS, thread -> {
            for (int call = 0; ; call++) {
                int i = (thread + call) % batches.size();
                try {
                    float[] got = logits(m.forward(batches.get(i), null));
                    if (!Arrays.equals(expected[i], got)) {
                        wrong.add("thread " + thread + ": a call that finished gave other outputs");
                    }
                    finished.incrementAndGet();
                } catch (IllegalStateException e) {
                    if (e.getMessage() == null || !e.getMessage().contains("closed")) {
                        wrong.add("thread " + thread + ": IllegalStateException not saying the model was closed: "
                                + e.getMessage());
                    }
                    refused.incrementAndGet();
                    return;
                } catch (Throwable e) {
                    wrong.add("thread " + thread + ": " + e);
                    return;
                }
            }
        });
        // let calls get going, then close under them
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (finished.get() < THREADS && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        m.close();
        for (Thread th : threads) {
            th.join(TimeUnit.SECONDS.toMillis(60));
            if (th.isAlive()) {
                fail(th.getName() + " is still running a minute after close(): a call hangs on a closed '"
                        + backendName() + "' model");
            }
        }
        assertTrue(wrong.isEmpty(), () -> "closing a '" + backendName() + "' model under " + THREADS
                + " calling threads: " + wrong);
        assertEquals(THREADS, refused.get(), "every thread's calls must end with the IllegalStateException of a "
                + "closed model once it is closed");
        IllegalStateException after = assertThrows(IllegalStateException.class,
                () -> m.forward(batches.get(0), null), "a call after close()");
        assertTrue(after.getMessage().contains("closed"), after.getMessage());
    }

    @Test
    void trainingStepsRacingInferenceAreSerialised() throws InterruptedException {
        List<Batch> batches = batches();
        SplittableRandom r = new SplittableRandom(9);
        float[] x = new float[8 * 5 * 4];
        for (int j = 0; j < x.length; j++) {
            x[j] = (float) r.nextGaussian();
        }
        Batch train = new Batch(Tensor.of(x, 8, 5, 4), new int[] {0, 1, 2, 0, 1, 2, 0, 1});
        int steps = 6;
        List<Parameters> versions = new ArrayList<>();
        Queue<Object[]> seen = new ConcurrentLinkedQueue<>();
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        try (Model m = compile(NETWORK, Initialization.defaults().initialize(NETWORK, 4), EnumSet.of(
                Capability.TRAINING))) {
            versions.add(m.parameters());
            AtomicBoolean done = new AtomicBoolean();
            List<Thread> threads = startAll(THREADS - 1, thread -> {
                for (int call = 0; !done.get(); call++) {
                    int i = (thread + call) % batches.size();
                    try {
                        seen.add(new Object[] {i, logits(m.forward(batches.get(i), null))});
                    } catch (Throwable e) {
                        wrong.add("thread " + thread + ": " + e);
                        return;
                    }
                }
            });
            try (TrainingSession session = m.openTraining(Optimizer.sgd(0.5))) {
                for (int s = 1; s <= steps; s++) {
                    session.step(train, null, s);
                    versions.add(m.parameters());
                    Thread.sleep(3);
                }
            } catch (UnsupportedCapabilityException e) {
                throw e; // a backend that does not train refuses the first step: the refusal the kit checks
            } catch (RuntimeException e) {
                wrong.add("the training thread: " + e);
            } finally {
                done.set(true);
                for (Thread th : threads) {
                    th.join();
                }
            }
        }
        assertTrue(wrong.isEmpty(), () -> "training a '" + backendName() + "' model while " + (THREADS - 1)
                + " threads run inference: " + wrong);
        // what each parameter version computes, on a model of its own
        float[][][] expected = new float[versions.size()][batches.size()][];
        try (Model ref = compile(NETWORK, versions.get(0), null)) {
            for (int k = 0; k < versions.size(); k++) {
                ref.setParameters(versions.get(k));
                for (int i = 0; i < batches.size(); i++) {
                    expected[k][i] = logits(ref.forward(batches.get(i), null));
                }
            }
        }
        assertTrue(!Arrays.equals(expected[0][0], expected[steps][0]), "training must change the outputs");
        int torn = 0;
        int during = 0;
        for (Object[] o : seen) {
            int i = (int) o[0];
            float[] got = (float[]) o[1];
            int version = -1;
            for (int k = 0; k < versions.size() && version < 0; k++) {
                if (Arrays.equals(expected[k][i], got)) {
                    version = k;
                }
            }
            if (version < 0) {
                torn++;
            } else if (version > 0 && version < steps) {
                during++;
            }
        }
        int tornCalls = torn;
        assertEquals(0, tornCalls, () -> tornCalls + " of " + seen.size() + " inference calls racing " + steps
                + " training steps on '" + backendName() + "' computed with parameters that no step left (a "
                + "mix of before and after an update)");
        assertTrue(during > 0, "no inference call ran between the first and the last training step, so the race was "
                + "not exercised (" + seen.size() + " calls)");
    }

    /** One call of the agreement tests: null if it agreed, else what went wrong. */
    interface Call {
        String run(int thread, int call) throws Exception;
    }

    /** Runs {@link #CALLS} calls on each of {@code threads} threads that start together; returns what went wrong. */
    static Queue<String> run(int threads, Call call) throws InterruptedException {
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> ts = startAll(threads, thread -> {
            try {
                start.await();
                for (int c = 0; c < CALLS; c++) {
                    String w = call.run(thread, c);
                    if (w != null) {
                        wrong.add(w);
                    }
                }
            } catch (Throwable e) {
                wrong.add("thread " + thread + " failed: " + e);
            }
        });
        for (Thread th : ts) {
            th.join();
        }
        return wrong;
    }

    /** Starts {@code n} threads running {@code body} with their index, and returns them once all have started. */
    static List<Thread> startAll(int n, IntConsumer body) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(n);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                started.countDown();
                body.accept(thread);
            }, "concurrency-conformance-" + t);
            threads.add(th);
            th.start();
        }
        started.await();
        return threads;
    }
}
