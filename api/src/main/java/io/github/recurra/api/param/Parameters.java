package io.github.recurra.api.param;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An ordered set of named float32 tensors: the parameters of a {@link Network}, or their gradients, or optimizer
 * state of the same shapes. Like a PyTorch {@code state_dict}, the tensors are mutable and shared; use
 * {@link #copy()} for a snapshot. Not thread-safe.
 *
 * <p>The canonical names and shapes, for recurrent layer {@code k} with {@code dirs} directions, G gate blocks, hidden
 * size H and input size I (gate order LSTM i o f c, GRU z r h; ONNX operator layout):
 * <ul>
 *   <li>{@code layer<k>.W} {@code [dirs, G*H, I]}: input weights</li>
 *   <li>{@code layer<k>.R} {@code [dirs, G*H, H]}: recurrent weights</li>
 *   <li>{@code layer<k>.B} {@code [dirs, 2*G*H]}: input bias Wb, then recurrent bias Rb</li>
 *   <li>{@code layer<k>.P} {@code [dirs, 3*H]}: LSTM peepholes i, o, f (only with peepholes)</li>
 *   <li>{@code head.W} {@code [outputs, F]} and {@code head.B} {@code [outputs]}: the dense head (F = the last
 *       layer's output size)</li>
 * </ul>
 */
public final class Parameters {
    private final LinkedHashMap<String, Tensor> tensors;

    private Parameters(LinkedHashMap<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    /** @return an empty set to {@link #put} into */
    public static Parameters empty() {
        return new Parameters(new LinkedHashMap<>());
    }

    /**
     * @param layer layer index
     * @return {@code layer<k>.W}
     */
    public static String w(int layer) {
        return "layer" + layer + ".W";
    }

    /**
     * @param layer layer index
     * @return {@code layer<k>.R}
     */
    public static String r(int layer) {
        return "layer" + layer + ".R";
    }

    /**
     * @param layer layer index
     * @return {@code layer<k>.B}
     */
    public static String b(int layer) {
        return "layer" + layer + ".B";
    }

    /**
     * @param layer layer index
     * @return {@code layer<k>.P}
     */
    public static String p(int layer) {
        return "layer" + layer + ".P";
    }

    /** Name of the head's weight matrix. */
    public static final String HEAD_W = "head.W";
    /** Name of the head's bias. */
    public static final String HEAD_B = "head.B";

    /**
     * The canonical names and shapes of a network's parameters, in canonical order.
     *
     * @param network the network
     * @return name to shape, ordered
     */
    public static Map<String, int[]> shapesOf(Network network) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (int k = 0; k < network.layers().size(); k++) {
            Sequence s = network.layers().get(k);
            Cell c = s.cell();
            int dirs = s.direction().count();
            int gh = c.gates() * c.hiddenSize();
            shapes.put(w(k), new int[] {dirs, gh, network.layerInputSize(k)});
            shapes.put(r(k), new int[] {dirs, gh, c.hiddenSize()});
            shapes.put(b(k), new int[] {dirs, 2 * gh});
            if (c.hasPeepholes()) {
                shapes.put(p(k), new int[] {dirs, 3 * c.hiddenSize()});
            }
        }
        network.head().ifPresent(h -> {
            shapes.put(HEAD_W, new int[] {h.outputs(), network.outputSize()});
            shapes.put(HEAD_B, new int[] {h.outputs()});
        });
        return shapes;
    }

    /**
     * Zero tensors with the canonical names and shapes of a network (for gradients or optimizer moments).
     *
     * @param network the network
     * @return new zero tensors
     */
    public static Parameters zerosFor(Network network) {
        Parameters p = empty();
        shapesOf(network).forEach((name, shape) -> p.put(name, Tensor.zeros(shape)));
        return p;
    }

    /**
     * Zero tensors with the names and shapes of this set.
     *
     * @return new zero tensors
     */
    public Parameters zerosLike() {
        Parameters p = empty();
        tensors.forEach((name, t) -> p.put(name, Tensor.zeros(t.shape())));
        return p;
    }

    /**
     * Adds or replaces a tensor (no copy).
     *
     * @param name   the name
     * @param tensor the tensor
     * @return this
     */
    public Parameters put(String name, Tensor tensor) {
        tensors.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(tensor, "tensor"));
        return this;
    }

    /**
     * @param name a name
     * @return the tensor
     * @throws IllegalArgumentException if there is none, naming the ones there are
     */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; present: " + tensors.keySet());
        }
        return t;
    }

    /**
     * @param name a name
     * @return whether it is present
     */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** @return the names, in order */
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    /** @return the tensors by name, in order (unmodifiable view) */
    public Map<String, Tensor> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    /** @return the number of scalar values over all tensors */
    public long count() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.size();
        }
        return n;
    }

    /** @return a deep copy */
    public Parameters copy() {
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        tensors.forEach((k, v) -> m.put(k, v.copy()));
        return new Parameters(m);
    }

    /**
     * Copies every value of {@code source} into this set's tensors of the same names.
     *
     * @param source tensors with exactly this set's names and shapes
     * @throws IllegalArgumentException if a name or shape differs
     */
    public void copyFrom(Parameters source) {
        checkSameLayout(source, "source");
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            float[] src = source.tensors.get(e.getKey()).data();
            System.arraycopy(src, 0, e.getValue().data(), 0, src.length);
        }
    }

    /**
     * Checks that {@code other} has exactly these names and shapes.
     *
     * @param other the set to compare
     * @param what  how to call it in the message
     * @throws IllegalArgumentException naming the first difference
     */
    public void checkSameLayout(Parameters other, String what) {
        if (!tensors.keySet().equals(other.tensors.keySet())) {
            throw new IllegalArgumentException(what + " has parameters " + other.tensors.keySet()
                    + " but " + tensors.keySet() + " were expected");
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor o = other.tensors.get(e.getKey());
            if (!e.getValue().sameShape(o)) {
                throw new IllegalArgumentException(what + " parameter '" + e.getKey() + "' has shape "
                        + o.shapeString() + " but " + e.getValue().shapeString() + " was expected");
            }
        }
    }

    /**
     * Checks that this set has exactly the canonical names and shapes of {@code network}.
     *
     * @param network the network
     * @throws IllegalArgumentException naming the first missing, extra or misshapen tensor
     */
    public void checkMatches(Network network) {
        String problem = mismatch(network);
        if (problem == null) {
            return;
        }
        Map<String, int[]> mine = new LinkedHashMap<>();
        tensors.forEach((name, t) -> mine.put(name, t.shape()));
        String given = describe(mine);
        String wanted = describe(shapesOf(network));
        if (given != null && !given.equals(wanted)) {
            throw new IllegalArgumentException("these parameters are for " + given + ", not " + wanted + " ("
                    + problem + "); compile a saved model's own network with its parameters (saved.network() with "
                    + "saved.parameters()), or initialize parameters for this network (Initialization.defaults()"
                    + ".initialize(network, seed))");
        }
        throw new IllegalArgumentException(problem);
    }

    /** @return the first missing, misshapen or extra tensor, or null if the layout is the network's */
    private String mismatch(Network network) {
        Map<String, int[]> want = shapesOf(network);
        for (Map.Entry<String, int[]> e : want.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                return "parameter '" + e.getKey() + "' of shape " + Arrays.toString(e.getValue()) + " is missing; the "
                        + "network needs " + want.keySet();
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                return "parameter '" + e.getKey() + "' has shape " + t.shapeString() + " but the network needs "
                        + Arrays.toString(e.getValue());
            }
        }
        for (String name : tensors.keySet()) {
            if (!want.containsKey(name)) {
                return "parameter '" + name + "' does not belong to this network, which has " + want.keySet();
            }
        }
        return null;
    }

    /**
     * The network a canonical layout belongs to, in words: per layer its cell (by its gate count: 4 LSTM, 3 GRU,
     * 1 RNN), hidden size, input size and directions, then the head's outputs; for example {@code LSTM(128, input 28)
     * -> head(10)}. Activations, biases and clipping have no shape, so two networks can share a description.
     *
     * @return the description, or null if the layout is not canonical (a name or shape that no network has)
     */
    private static String describe(Map<String, int[]> shapes) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        int used = 0;
        for (; shapes.containsKey(w(k)); k++) {
            int[] wk = shapes.get(w(k));
            int[] rk = shapes.get(r(k));
            if (wk.length != 3 || rk == null || rk.length != 3 || rk[2] < 1 || wk[1] % rk[2] != 0
                    || !shapes.containsKey(b(k))) {
                return null;
            }
            int gates = wk[1] / rk[2];
            boolean peepholes = shapes.containsKey(p(k));
            String cell = switch (gates) {
                case 4 -> peepholes ? "LSTM with peepholes" : "LSTM";
                case 3 -> "GRU";
                case 1 -> "RNN";
                default -> gates + "-gate cell";
            };
            used += peepholes ? 4 : 3;
            sb.append(k > 0 ? " -> " : "").append(cell).append('(').append(rk[2]).append(", input ").append(wk[2])
                    .append(wk[0] == 2 ? ", bidirectional" : wk[0] == 1 ? "" : ", " + wk[0] + " directions")
                    .append(')');
        }
        if (k == 0) {
            return null;
        }
        int[] hw = shapes.get(HEAD_W);
        if (hw != null && hw.length == 2 && shapes.containsKey(HEAD_B)) {
            sb.append(" -> head(").append(hw[0]).append(')');
            used += 2;
        }
        return used == shapes.size() ? "a network of " + sb : null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Parameters{");
        tensors.forEach((k, v) -> sb.append(sb.length() > 11 ? ", " : "").append(k).append(v.shapeString()));
        return sb.append('}').toString();
    }

}
