package io.github.recurra.onnxruntime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a session: every input and every output of the run lives in one direct buffer borrowed from the model's
 * pool, cut into aligned slices. ONNX Runtime reads the inputs from their slices and writes the outputs into theirs
 * (pinned outputs), so the only copies are the caller's arrays into the buffer and the results out of it. Not
 * thread-safe; one per pass. {@link #close()} closes every tensor it made and gives the buffer back.
 */
final class Pass implements AutoCloseable {
    /** Slices start at multiples of this many bytes (a cache line; what ONNX Runtime's own allocator aligns to). */
    static final int ALIGN = 64;

    private final OrtEnvironment env;
    private final BufferPool pool;
    private final ByteBuffer buffer;
    private final List<OnnxTensor> tensors = new ArrayList<>();
    private final Map<String, OnnxTensor> inputs = new HashMap<>();
    private final Map<String, OnnxTensor> outputs = new HashMap<>();
    private final Map<String, ByteBuffer> outputSlices = new HashMap<>();
    private int position;

    /**
     * @param env   the environment
     * @param pool  where the buffer comes from
     * @param bytes what every slice together needs, from {@link #bytes}
     */
    Pass(OrtEnvironment env, BufferPool pool, int bytes) {
        this.env = env;
        this.pool = pool;
        this.buffer = pool.borrow(bytes);
    }

    /**
     * @param elements the element count of a slice (4 bytes each)
     * @return the bytes it takes in the buffer, alignment included
     */
    static long bytes(long elements) {
        return (elements * 4 + ALIGN - 1) / ALIGN * ALIGN;
    }

    private ByteBuffer slice(long elements) {
        int bytes = (int) (elements * 4);
        ByteBuffer s = buffer.duplicate();
        s.position(position).limit(position + bytes);
        position += (int) bytes(elements);
        return s.slice().order(ByteOrder.nativeOrder());
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private OnnxTensor tensor(ByteBuffer slice, long[] shape, OnnxJavaType type) throws OrtException {
        OnnxTensor t = OnnxTensor.createTensor(env, slice, shape, type);
        tensors.add(t);
        return t;
    }

    /**
     * A float input, copied from {@code values} starting at {@code offset} (as many as the shape holds).
     */
    void floats(String name, float[] values, int offset, long[] shape) throws OrtException {
        ByteBuffer s = slice(count(shape));
        s.asFloatBuffer().put(values, offset, (int) count(shape));
        inputs.put(name, tensor(s, shape, OnnxJavaType.FLOAT));
    }

    /**
     * A float input of {@code blocks} blocks of {@code length} values each, block i copied from
     * {@code values[offset + i · stride ...]} (rows of every direction of a state tensor).
     */
    void floats(String name, float[] values, int offset, int stride, int blocks, int length, long[] shape)
            throws OrtException {
        ByteBuffer s = slice(count(shape));
        FloatBuffer f = s.asFloatBuffer();
        for (int i = 0; i < blocks; i++) {
            f.put(values, offset + i * stride, length);
        }
        inputs.put(name, tensor(s, shape, OnnxJavaType.FLOAT));
    }

    /** A float input of zeros. */
    void zeros(String name, long[] shape) throws OrtException {
        int n = (int) count(shape);
        ByteBuffer s = slice(n);
        for (int i = 0; i < n; i++) {
            s.putFloat(i * 4, 0f);
        }
        inputs.put(name, tensor(s, shape, OnnxJavaType.FLOAT));
    }

    /** An int32 input, copied from {@code values} starting at {@code offset}. */
    void ints(String name, int[] values, int offset, long[] shape) throws OrtException {
        ByteBuffer s = slice(count(shape));
        s.asIntBuffer().put(values, offset, (int) count(shape));
        inputs.put(name, tensor(s, shape, OnnxJavaType.INT32));
    }

    /** A float output that the run writes into its slice. */
    void output(String name, long[] shape) throws OrtException {
        ByteBuffer s = slice(count(shape));
        outputs.put(name, tensor(s, shape, OnnxJavaType.FLOAT));
        outputSlices.put(name, s);
    }

    /** Runs the session on the inputs, writing every declared output. */
    void run(OrtSession session) throws OrtException {
        try (OrtSession.Result r = session.run(inputs, outputs)) {
            // the outputs are pinned: the result owns nothing of them
            assert r.size() == outputs.size();
        }
    }

    /**
     * Copies an output out of the buffer in {@code blocks} blocks of equal length, block i to
     * {@code dst[offset + i · stride ...]}.
     *
     * @param name   an output
     * @param dst    where it goes (modified)
     * @param offset where the first block goes
     * @param stride the distance between blocks in {@code dst}
     * @param blocks how many blocks (1 for a contiguous copy)
     */
    void read(String name, float[] dst, int offset, int stride, int blocks) {
        FloatBuffer f = outputSlices.get(name).asFloatBuffer();
        int length = f.remaining() / blocks;
        for (int i = 0; i < blocks; i++) {
            f.get(dst, offset + i * stride, length);
        }
    }

    @Override
    public void close() {
        for (OnnxTensor t : tensors) {
            t.close();
        }
        tensors.clear();
        pool.release(buffer);
    }
}
