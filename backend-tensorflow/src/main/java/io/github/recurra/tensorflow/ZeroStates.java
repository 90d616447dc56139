package io.github.recurra.tensorflow;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.types.TFloat32;

/**
 * Zero initial states as TensorFlow tensors, one per shape {@code [dirs, batch, hidden]}, made on first use and kept
 * until {@link #close()}: a run whose caller gives no states feeds these instead of a new zero tensor every call. A
 * fed tensor is only read, so concurrent runs may share one. One entry per distinct state shape the model has seen
 * (in practice a few batch sizes). Thread-safe.
 */
final class ZeroStates implements AutoCloseable {
    private final Map<List<Integer>, TFloat32> byShape = new ConcurrentHashMap<>();

    /**
     * @param shape the state shape
     * @return zeros of that shape, owned by this cache (do not close)
     */
    TFloat32 of(int[] shape) {
        return byShape.computeIfAbsent(Arrays.stream(shape).boxed().toList(),
                k -> Feeds.tensor(new float[k.stream().mapToInt(Integer::intValue).reduce(1, Math::multiplyExact)],
                        shape));
    }

    /** Frees every cached tensor. Call once no run can still feed them. */
    @Override
    public void close() {
        byShape.values().forEach(TFloat32::close);
        byShape.clear();
    }
}
