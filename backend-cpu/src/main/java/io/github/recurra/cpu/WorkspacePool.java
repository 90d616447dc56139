package io.github.recurra.cpu;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Reuses {@link NetWorkspace}s by shape (batch, time) so that repeated passes allocate nothing. Thread-safe: each
 * borrower gets a workspace no one else holds. At most {@code capacity} idle workspaces are kept in all, so a caller
 * that cycles through many shapes does not accumulate memory; shapes used over and over stay pooled.
 */
final class WorkspacePool {
    private final Map<Long, ConcurrentLinkedDeque<NetWorkspace>> idle = new ConcurrentHashMap<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final BiFunction<Integer, Integer, NetWorkspace> factory;
    private final int capacity;

    WorkspacePool(BiFunction<Integer, Integer, NetWorkspace> factory, int capacity) {
        this.factory = factory;
        this.capacity = capacity;
    }

    private static long key(int batch, int time) {
        return ((long) batch << 32) | (time & 0xffffffffL);
    }

    NetWorkspace borrow(int batch, int time) {
        NetWorkspace ws = idle.computeIfAbsent(key(batch, time), k -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (ws != null) {
            idleCount.decrementAndGet();
            return ws;
        }
        return factory.apply(batch, time);
    }

    void release(NetWorkspace ws) {
        if (idleCount.incrementAndGet() <= capacity) {
            idle.computeIfAbsent(key(ws.batch, ws.time), x -> new ConcurrentLinkedDeque<>()).offerFirst(ws);
        } else {
            idleCount.decrementAndGet();
        }
    }

    void clear() {
        idle.clear();
        idleCount.set(0);
    }
}
