package io.github.recurra.cpu;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reuses {@link NetWorkspace}s by shape (batch, time) so that repeated passes of the same shape allocate nothing.
 * Thread-safe: each borrower gets a workspace no one else holds. At most {@code capacity} idle workspaces are kept in
 * all; when a returned workspace would exceed that, an idle one of the least recently returned shape is dropped
 * instead, so the shapes in use stay pooled and one-off shapes do not pin memory.
 */
final class WorkspacePool {
    /** Idle workspaces by shape, least recently returned shape first. */
    private final LinkedHashMap<Long, ArrayDeque<NetWorkspace>> idle = new LinkedHashMap<>(16, 0.75f, true);
    private final BiFunction<Integer, Integer, NetWorkspace> factory;
    private final int capacity;
    private int count;
    private boolean closed;

    WorkspacePool(BiFunction<Integer, Integer, NetWorkspace> factory, int capacity) {
        this.factory = factory;
        this.capacity = capacity;
    }

    private static long key(int batch, int time) {
        return ((long) batch << 32) | (time & 0xffffffffL);
    }

    NetWorkspace borrow(int batch, int time) {
        synchronized (this) {
            ArrayDeque<NetWorkspace> q = idle.get(key(batch, time));
            if (q != null) {
                NetWorkspace ws = q.pollFirst();
                count--;
                if (q.isEmpty()) {
                    idle.remove(key(batch, time));
                }
                return ws;
            }
        }
        return factory.apply(batch, time);
    }

    synchronized void release(NetWorkspace ws) {
        if (closed) {
            return;
        }
        long k = key(ws.batch, ws.time);
        if (count >= capacity) {
            Iterator<Map.Entry<Long, ArrayDeque<NetWorkspace>>> it = idle.entrySet().iterator();
            if (!it.hasNext()) {
                return;
            }
            Map.Entry<Long, ArrayDeque<NetWorkspace>> oldest = it.next();
            oldest.getValue().pollLast();
            count--;
            if (oldest.getValue().isEmpty()) {
                it.remove();
            }
        }
        idle.computeIfAbsent(k, x -> new ArrayDeque<>()).offerFirst(ws);
        count++;
    }

    synchronized int idleCount() {
        return count;
    }

    synchronized void clear() {
        idle.clear();
        count = 0;
    }

    /** Drops every idle workspace and keeps none returned later (the model was closed). */
    synchronized void close() {
        clear();
        closed = true;
    }
}
