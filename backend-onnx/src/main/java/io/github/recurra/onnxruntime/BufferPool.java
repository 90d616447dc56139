package io.github.recurra.onnxruntime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct, native-order byte buffers that ONNX Runtime reads inputs from and writes outputs to without a copy of its
 * own, kept for reuse so that a pass does not pay for allocating (and zeroing) native memory. Thread-safe. At most
 * {@code keep} buffers of at most {@link #MAX_KEPT_BYTES} each are kept; larger or surplus ones are left to the
 * garbage collector.
 */
final class BufferPool {
    /** Buffers above this size are not kept: a rare huge batch should not pin its memory for the model's life. */
    static final int MAX_KEPT_BYTES = 64 << 20;

    private final ConcurrentLinkedDeque<ByteBuffer> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger kept = new AtomicInteger();
    private final int keep;

    /**
     * @param keep how many buffers to keep at most
     */
    BufferPool(int keep) {
        this.keep = keep;
    }

    /**
     * @param bytes the size needed
     * @return a direct buffer in native byte order whose address is a multiple of {@link Pass#ALIGN}, with at least
     *     {@code bytes} capacity, position 0; its contents are
     *     whatever the last user left
     */
    ByteBuffer borrow(int bytes) {
        ByteBuffer b = free.pollFirst();
        if (b != null) {
            kept.decrementAndGet();
            if (b.capacity() >= bytes) {
                b.clear();
                return b;
            }
        }
        // grow in steps, so that batches of slowly rising size do not allocate every time
        int size = (int) Math.min(Integer.MAX_VALUE, Math.max(bytes, Math.min((long) bytes * 5 / 4, MAX_KEPT_BYTES)));
        // allocateDirect promises no alignment: over-allocate and start the buffer at a multiple of Pass.ALIGN
        return ByteBuffer.allocateDirect(size + Pass.ALIGN).alignedSlice(Pass.ALIGN).order(ByteOrder.nativeOrder());
    }

    /**
     * Takes a buffer back; nothing may use it any more.
     *
     * @param b a buffer from {@link #borrow}
     */
    void release(ByteBuffer b) {
        if (b.capacity() <= MAX_KEPT_BYTES && kept.incrementAndGet() <= keep) {
            free.offerFirst(b);
        } else {
            kept.decrementAndGet();
        }
    }

    /** Forgets every kept buffer (the garbage collector frees them). */
    void clear() {
        while (free.pollFirst() != null) {
            kept.decrementAndGet();
        }
    }
}
