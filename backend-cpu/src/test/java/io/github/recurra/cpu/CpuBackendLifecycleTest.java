package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Closing CPU backends: worker pools are shared per thread count and counted, the last close shuts the pool down and
 * its threads end, close is idempotent, and compiles and passes that race with close finish or fail clearly. Each
 * test uses thread counts no other test uses (5, 6, 7), so its pools are its own.
 */
class CpuBackendLifecycleTest {
    static final Network NET = Network.builder(3).layer(Sequence.of(LstmCell.of(4))).head(Head.classifier(2)).build();
    static final Parameters PARAMS = Initialization.defaults().initialize(NET, 7);
    /** Several shards (batches over 127 rows are split), so passes use the worker threads. */
    static final Batch BIG = new Batch(CpuModelTest.randomInputs(300, 5, 3, 1), new int[300]);
    /** One shard: runs on the calling thread only. */
    static final Batch SMALL = new Batch(CpuModelTest.randomInputs(20, 5, 3, 2), new int[20]);

    /** The live worker threads of the pools for {@code threads} threads. */
    static List<String> workerThreads(int threads) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("recurra-cpu-" + threads + "-")).sorted().collect(Collectors.toList());
    }

    /** Every live recurra worker thread, by name. */
    static List<String> allWorkerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("recurra-cpu-")).sorted().collect(Collectors.toList());
    }

    /** Waits up to 10 s for the worker threads of {@code threads} to end (a pool's shutdown is asynchronous). */
    static void awaitNoWorkerThreads(int threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!workerThreads(threads).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("worker threads still alive 10 s after the last " + threads + "-thread backend closed: "
                        + workerThreads(threads));
            }
            Thread.sleep(10);
        }
    }

    @Test
    void closingEveryBackendLeavesNoWorkerThreads() throws Exception {
        List<Backend> backends = List.of(new CpuBackend(5), new CpuBackend(5), new CpuBackend(7));
        for (Backend b : backends) {
            try (Model m = b.compile(NET, PARAMS)) {
                m.forward(BIG, null);
            }
        }
        assertFalse(workerThreads(5).isEmpty(), "the passes ran on worker threads");
        assertFalse(workerThreads(7).isEmpty(), "the passes ran on worker threads");
        for (Backend b : backends) {
            b.close();
        }
        assertEquals(0, CpuBackend.poolUsers(5));
        assertEquals(0, CpuBackend.poolUsers(7));
        awaitNoWorkerThreads(5);
        awaitNoWorkerThreads(7);
        // and none at all, if every test that ran before this one in this JVM closed its backends as it should
        Map<Integer, Integer> open = new TreeMap<>();
        for (int t = 2; t <= 64; t++) {
            if (CpuBackend.poolUsers(t) > 0) {
                open.put(t, CpuBackend.poolUsers(t));
            }
        }
        assertEquals(Map.of(), open, "backends left open (thread count = how many), by a test that ran earlier; "
                + "threads alive: " + allWorkerThreads());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!allWorkerThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), allWorkerThreads(), "no backend is open, yet worker threads are alive");
    }

    @Test
    void backendsWithTheSameThreadCountShareOnePoolUntilTheLastCloses() throws Exception {
        CpuBackend a = new CpuBackend(6);
        CpuBackend b = new CpuBackend(6);
        ExecutorService pool = a.sharedPool();
        assertNotNull(pool);
        assertSame(pool, b.sharedPool(), "one pool per thread count");
        assertEquals(2, CpuBackend.poolUsers(6));
        float[] expected;
        try (Model m = new CpuBackend(1).compile(NET, PARAMS)) {
            expected = m.forward(BIG, null).logits().data();
        }
        try (Model ma = a.compile(NET, PARAMS); Model mb = b.compile(NET, PARAMS)) {
            assertArrayEquals(expected, ma.forward(BIG, null).logits().data(), 0f);
            assertArrayEquals(expected, mb.forward(BIG, null).logits().data(), 0f);
        }
        assertTrue(workerThreads(6).size() <= 5, "one pool of 5 workers, not one per backend: " + workerThreads(6));

        a.close();
        assertFalse(pool.isShutdown(), "b still uses the pool");
        assertEquals(1, CpuBackend.poolUsers(6));
        try (Model mb = b.compile(NET, PARAMS)) {
            assertArrayEquals(expected, mb.forward(BIG, null).logits().data(), 0f);
        }
        b.close();
        assertTrue(pool.isShutdown(), "the last backend closed");
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        awaitNoWorkerThreads(6);

        try (CpuBackend c = new CpuBackend(6); Model mc = c.compile(NET, PARAMS)) {
            assertNotSame(pool, c.sharedPool(), "a new backend after the last closed gets a new pool");
            assertArrayEquals(expected, mc.forward(BIG, null).logits().data(), 0f);
        }
        awaitNoWorkerThreads(6);
    }

    @Test
    void closeIsIdempotentAndGivesUpOnlyItsOwnShare() {
        CpuBackend a = new CpuBackend(6);
        CpuBackend b = new CpuBackend(6);
        a.close();
        a.close();
        a.close();
        assertEquals(1, CpuBackend.poolUsers(6), "closing a again must not take b's share");
        assertFalse(b.sharedPool().isShutdown());
        try (Model mb = b.compile(NET, PARAMS)) {
            mb.forward(BIG, null);
        }
        b.close();
        b.close();
        assertEquals(0, CpuBackend.poolUsers(6));
        CpuBackend one = new CpuBackend(1);
        one.close();
        one.close();
        assertEquals("cpu", one.name(), "a closed backend still answers name()");
        assertTrue(one.capabilities().size() > 5, "and capabilities()");
    }

    @Test
    void compileAfterCloseFailsNamingTheBackend() {
        for (int threads : new int[] {1, 5}) {
            CpuBackend b = new CpuBackend(threads);
            b.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.compile(NET, PARAMS));
            assertTrue(e.getMessage().startsWith("backend 'cpu' (" + threads + " threads) was closed, so it cannot "
                    + "compile"), e.getMessage());
            assertTrue(e.getMessage().contains("compile on an open backend"), e.getMessage());
        }
    }

    @Test
    void aClosedBackendsModelsFailWhenTheyNeedTheWorkerThreads() throws Exception {
        float[] expectedSmall;
        float[] expectedBig;
        try (Model m = new CpuBackend(1).compile(NET, PARAMS)) {
            expectedSmall = m.forward(SMALL, null).logits().data();
            expectedBig = m.forward(BIG, null).logits().data();
        }
        CpuBackend b = new CpuBackend(5);
        try (Model m = b.compile(NET, PARAMS)) {
            assertArrayEquals(expectedBig, m.forward(BIG, null).logits().data(), 0f);
            b.close();
            List<Runnable> calls = List.of(() -> m.forward(BIG, null), () -> m.lossAndGradients(BIG, null, 1L));
            for (Runnable call : calls) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
                assertTrue(e.getMessage().startsWith("backend 'cpu' (5 threads) was closed"), e.getMessage());
                assertTrue(e.getMessage().contains("close models before their backend"), e.getMessage());
            }
            // a single shard needs no worker thread, and the model's state is untouched
            assertArrayEquals(expectedSmall, m.forward(SMALL, null).logits().data(), 0f);
            assertArrayEquals(PARAMS.get(Parameters.HEAD_W).data(), m.parameters().get(Parameters.HEAD_W).data(), 0f);
        }
        awaitNoWorkerThreads(5);
        // a one-thread backend has no workers: its models run on after it closes
        CpuBackend one = new CpuBackend(1);
        try (Model m = one.compile(NET, PARAMS)) {
            one.close();
            assertArrayEquals(expectedBig, m.forward(BIG, null).logits().data(), 0f);
        }
    }

    @Test
    void aPassAlreadyOnTheWorkersWhenTheBackendClosesFinishesOnTheCallingThread() throws Exception {
        CpuBackend b = new CpuBackend(5);
        ExecutorService workers = b.workers();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> first = workers.submit(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        b.close();
        // mid-pass (first is still out): further work of this thread runs here, at once
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Future<?> second = workers.submit(() -> ranOn.set(Thread.currentThread()));
        assertTrue(second.isDone());
        assertSame(Thread.currentThread(), ranOn.get());
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        // the pass is over: new work is refused
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> workers.submit(() -> { }));
        assertTrue(e.getMessage().contains("was closed"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, workers::shutdown, "the view cannot stop the shared pool");
        awaitNoWorkerThreads(5);
    }

    @Test
    void passesAndCompilesRacingCloseFinishOrFailClearly() throws Exception {
        float[] expected;
        try (Model m = new CpuBackend(1).compile(NET, PARAMS)) {
            expected = m.forward(BIG, null).logits().data();
        }
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                CpuBackend b = new CpuBackend(7);
                Model m = b.compile(NET, PARAMS);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    boolean compiles = c == 3;
                    results.add(callers.submit(() -> {
                        go.await();
                        String outcome = "";
                        for (int i = 0; i < 5; i++) {
                            try {
                                if (compiles) {
                                    b.compile(NET, PARAMS).close();
                                } else {
                                    assertArrayEquals(expected, m.forward(BIG, null).logits().data(), 0f);
                                }
                                outcome += "ok ";
                            } catch (IllegalStateException e) {
                                assertTrue(e.getMessage().startsWith("backend 'cpu' (7 threads) was closed"),
                                        e.getMessage());
                                outcome += "closed ";
                            }
                        }
                        return outcome;
                    }));
                }
                go.countDown();
                Thread.sleep(round % 3);
                b.close();
                for (Future<String> f : results) {
                    try {
                        f.get(30, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        fail("a call racing close hung (round " + round + ")");
                    } catch (ExecutionException e) {
                        throw new AssertionError("a call racing close failed otherwise than clearly", e.getCause());
                    }
                }
                m.close();
            }
        } finally {
            callers.shutdown();
        }
        awaitNoWorkerThreads(7);
    }
}
