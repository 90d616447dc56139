package io.github.recurra.api.spi;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a backend runs on, as {@link Backend#describe()} reports it: its name and a few settings as text, for logs,
 * benchmark output and support questions ("which kernels were chosen?"). The properties are a sorted, unmodifiable
 * copy; keys are lower-case words separated by dots.
 *
 * <p>The keys below are stable: a backend that reports a setting uses its key, and a key keeps its meaning. A backend
 * reports only the keys that apply to it and may add others (which are not promised to stay).
 * <table>
 *   <caption>Stable keys</caption>
 *   <tr><th>key</th><th>backends</th><th>value</th></tr>
 *   <tr><td>{@value #THREADS}</td><td>all</td><td>threads a batch runs on (for TensorFlow and ONNX Runtime: intra-op
 *       threads; {@code 0} lets the engine choose)</td></tr>
 *   <tr><td>{@value #KERNELS}</td><td>cpu</td><td>{@code vector} (the JDK Vector API kernels) or {@code scalar}
 *       (EJML products and scalar activations: the JVM lacks {@code --add-modules jdk.incubator.vector}, or the system
 *       property {@code recurra.cpu.simd} is {@code false})</td></tr>
 *   <tr><td>{@value #VECTOR_BITS}</td><td>cpu, with {@code vector} kernels</td><td>the width of the Vector API's
 *       preferred float species in bits, for example {@code 256} on AVX2 and {@code 512} on AVX-512</td></tr>
 *   <tr><td>{@value #SHARD_ROWS}</td><td>cpu</td><td>rows per shard a large batch is cut into</td></tr>
 *   <tr><td>{@value #INTER_OP_THREADS}</td><td>tensorflow, onnx</td><td>threads running independent operators at
 *       once ({@code 0}: the engine's choice)</td></tr>
 *   <tr><td>{@value #TENSORFLOW_VERSION}</td><td>tensorflow</td><td>the version of TensorFlow's native library, for
 *       example {@code 2.18.0}</td></tr>
 *   <tr><td>{@value #ONEDNN}</td><td>tensorflow</td><td>{@code on} when the process environment has
 *       {@code TF_ENABLE_ONEDNN_OPTS=1} (or {@code true}), else {@code off}</td></tr>
 *   <tr><td>{@value #ROUTE}</td><td>tensorflow</td><td>the graph of recurrent layers: {@code auto}, {@code unrolled}
 *       or {@code fused}</td></tr>
 *   <tr><td>{@value #NATIVE_TRAINING}</td><td>tensorflow</td><td>{@code true} when the optimizer update runs inside
 *       the graph</td></tr>
 *   <tr><td>{@value #ONNXRUNTIME_VERSION}</td><td>onnx</td><td>the version of ONNX Runtime, for example
 *       {@code 1.28.0}</td></tr>
 *   <tr><td>{@value #OPTIMIZATION}</td><td>onnx</td><td>the graph optimisation level: {@code none}, {@code basic},
 *       {@code extended} or {@code all}</td></tr>
 *   <tr><td>{@value #UNROLLED}</td><td>onnx</td><td>{@code true} when the backend may run graphs unrolled over the
 *       sequence length</td></tr>
 * </table>
 *
 * @param name       the backend's name, as {@link Backend#name()}
 * @param properties settings by key, neither keys nor values null
 */
public record BackendDescription(String name, Map<String, String> properties) {
    /** Key: threads a batch runs on. */
    public static final String THREADS = "threads";
    /** Key (cpu): {@code vector} or {@code scalar}. */
    public static final String KERNELS = "kernels";
    /** Key (cpu): the Vector API's preferred float species width in bits. */
    public static final String VECTOR_BITS = "vector.bits";
    /** Key (cpu): rows per shard. */
    public static final String SHARD_ROWS = "shard.rows";
    /** Key (tensorflow, onnx): inter-op threads. */
    public static final String INTER_OP_THREADS = "interop.threads";
    /** Key (tensorflow): the native library's version. */
    public static final String TENSORFLOW_VERSION = "tensorflow.version";
    /** Key (tensorflow): {@code on} or {@code off}. */
    public static final String ONEDNN = "onednn";
    /** Key (tensorflow): the route of recurrent layers. */
    public static final String ROUTE = "route";
    /** Key (tensorflow): whether training runs in the graph. */
    public static final String NATIVE_TRAINING = "native.training";
    /** Key (onnx): ONNX Runtime's version. */
    public static final String ONNXRUNTIME_VERSION = "onnxruntime.version";
    /** Key (onnx): the graph optimisation level. */
    public static final String OPTIMIZATION = "optimization";
    /** Key (onnx): whether unrolled graphs may run. */
    public static final String UNROLLED = "unrolled";

    private static final Pattern KEY = Pattern.compile("[a-z0-9]+(\\.[a-z0-9]+)*");

    /**
     * Validates and copies.
     *
     * @param name       the backend's name
     * @param properties settings by key
     * @throws IllegalArgumentException if the name is blank, or a key is not lower-case words separated by dots, or a
     *     value is null
     */
    public BackendDescription {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a backend description needs the backend's name but was given '"
                    + name + "'; pass Backend.name()");
        }
        if (properties == null) {
            throw new IllegalArgumentException("the properties of backend '" + name + "' must not be null; pass "
                    + "Map.of() for none");
        }
        TreeMap<String, String> copy = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k == null || !KEY.matcher(k).matches()) {
                throw new IllegalArgumentException("backend '" + name + "' has the property key '" + k + "', but keys "
                        + "are lower-case words separated by dots, such as 'vector.bits'");
            }
            if (v == null) {
                throw new IllegalArgumentException("backend '" + name + "' has no value for property '" + k + "'; "
                        + "leave a key out when it does not apply");
            }
            copy.put(k, v);
        });
        properties = Collections.unmodifiableMap(copy);
    }

    /**
     * @param key a key, for example {@link #KERNELS}
     * @return its value, or empty when this backend does not report it
     */
    public Optional<String> get(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /**
     * @return one line: the name and the properties in key order, for example
     *     {@code cpu kernels=vector shard.rows=64 threads=2 vector.bits=256}
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name);
        properties.forEach((k, v) -> b.append(' ').append(k).append('=').append(v.contains(" ") ? '"' + v + '"' : v));
        return b.toString();
    }
}
