package io.github.recurra.conformance;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One golden-vector file: a JSON object whose arrays are float32 values in the canonical layouts (see
 * {@code tools/golden/README.md}). Immutable.
 */
public final class Golden {
    private static final String ROOT = "/io/github/recurra/conformance/golden/";

    /** Every single-cell case shipped with the kit. */
    public static final List<String> CELL_CASES = List.of(
            "onnx_lstm_defaults", "onnx_lstm_initial_bias", "onnx_lstm_peepholes", "onnx_lstm_random",
            "onnx_lstm_peepholes_random", "onnx_gru_defaults", "onnx_gru_initial_bias", "onnx_gru_linear_before_reset",
            "onnx_gru_random", "onnx_gru_lbr_random", "onnx_rnn_defaults", "onnx_rnn_initial_bias",
            "onnx_rnn_tanh_random", "onnx_gru_seq_length", "onnx_rnn_seq_length", "torch_lstm_random",
            "torch_gru_random", "torch_rnn_tanh_random", "torch_rnn_relu_random");

    /**
     * Single-node ONNX Runtime cases (clip, coupled gate, activations, reverse, bidirectional, lengths), in the
     * sequence layout.
     */
    public static final List<String> ORT_CASES = List.of(
            "ort_gru_activations", "ort_gru_bidirectional_lengths", "ort_gru_clip", "ort_gru_lbr_clip",
            "ort_gru_lbr_lengths", "ort_gru_lbr_reverse", "ort_lstm_activations_peepholes", "ort_lstm_bidirectional",
            "ort_lstm_bidirectional_lengths_peepholes", "ort_lstm_clip", "ort_lstm_input_forget",
            "ort_lstm_input_forget_peepholes", "ort_lstm_lengths", "ort_lstm_peepholes_clip_input_forget",
            "ort_lstm_reverse", "ort_lstm_reverse_lengths", "ort_rnn_affine", "ort_rnn_bidirectional_lengths",
            "ort_rnn_clip", "ort_rnn_elu", "ort_rnn_hard_sigmoid", "ort_rnn_leaky_relu", "ort_rnn_relu",
            "ort_rnn_reverse", "ort_rnn_scaled_tanh", "ort_rnn_sigmoid", "ort_rnn_softplus", "ort_rnn_softsign",
            "ort_rnn_tanh", "ort_rnn_thresholded_relu");

    /** Whole-network loss and gradient cases. */
    public static final List<String> NETWORK_CASES = List.of("network_lstm", "network_lstm_forget1", "network_gru",
            "network_rnn");

    /**
     * Whole networks whose head reads PyTorch's {@code y[:, -1, :]} (or {@code y[b, len_b - 1, :]} of packed
     * sequences), {@link io.github.recurra.api.model.LastStep#LAST_TIME_INDEX}: bidirectional LSTM, GRU and RNN
     * layers, stacked, with initial states, with lengths, every merge mode and a reverse layer; each with the last
     * layer's output, every layer's final states, the logits, the loss and every gradient.
     */
    public static final List<String> LAST_TIME_INDEX_CASES = List.of("seqnet_lstm_bidirectional_last_index",
            "seqnet_gru_bidirectional_last_index_mse", "seqnet_rnn_bidirectional_last_index_sum",
            "seqnet_gru_bidirectional_stacked_last_index", "seqnet_lstm_bidirectional_h0_last_index_multiply",
            "seqnet_lstm_bidirectional_lengths_last_index_average",
            "seqnet_gru_bidirectional_stacked_lengths_last_index", "seqnet_rnn_reverse_lengths_last_index_mse");

    private final String name;
    private final JsonElement json;

    private Golden(String name, JsonElement json) {
        this.name = name;
        this.json = json;
    }

    /**
     * @param name the file name without {@code .json}
     * @return the case
     * @throws IllegalArgumentException if there is no such resource
     */
    public static Golden load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream(ROOT + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + ROOT + name + ".json on the classpath");
            }
            return new Golden(name, JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the case name */
    public String name() {
        return name;
    }

    private JsonObject obj() {
        return json.getAsJsonObject();
    }

    /**
     * @param key a key
     * @return whether the case has it
     */
    public boolean has(String key) {
        return obj().has(key) && !obj().get(key).isJsonNull();
    }

    /**
     * @param key a field holding an object
     * @return that object as a case of its own
     */
    public Golden object(String key) {
        return new Golden(name + "." + key, obj().getAsJsonObject(key));
    }

    /**
     * @param key an integer field
     * @return its value
     */
    public int integer(String key) {
        return obj().get(key).getAsInt();
    }

    /**
     * @param key a number field
     * @return its value
     */
    public double number(String key) {
        return obj().get(key).getAsDouble();
    }

    /**
     * @param key   an array of numbers
     * @param index a position in it
     * @return that element, as the double the file holds
     */
    public double number(String key, int index) {
        return obj().getAsJsonArray(key).get(index).getAsDouble();
    }

    /**
     * A hyper-parameter the generator wrote as a float32 value (0.99 appears as 0.9900000095367432): the shortest
     * decimal that rounds to that float, which is the value the reference implementation used.
     *
     * @param key a number field
     * @return its value as the reference used it
     */
    public double hyper(String key) {
        return Double.parseDouble(Float.toString((float) number(key)));
    }

    /**
     * @param key a text field
     * @return its value
     */
    public String text(String key) {
        return obj().get(key).getAsString();
    }

    /**
     * @param key a boolean field
     * @param otherwise the value when absent
     * @return its value
     */
    public boolean flag(String key, boolean otherwise) {
        return has(key) ? obj().get(key).getAsBoolean() : otherwise;
    }

    /**
     * @param key an array field
     * @return its values as float32
     */
    public float[] floats(String key) {
        return toFloats(obj().getAsJsonArray(key));
    }

    /**
     * @param object a field holding an object of arrays, such as {@code params}
     * @param key    a key inside it, such as {@code layer0.W}
     * @return that array as float32
     */
    public float[] floats(String object, String key) {
        return toFloats(obj().getAsJsonObject(object).getAsJsonArray(key));
    }

    /**
     * @param object a field holding an object
     * @return its keys, in file order
     */
    public List<String> keys(String object) {
        return new ArrayList<>(obj().getAsJsonObject(object).keySet());
    }

    /**
     * @param key an array of integers
     * @return its values
     */
    public int[] ints(String key) {
        JsonArray a = obj().getAsJsonArray(key);
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsInt();
        }
        return v;
    }

    /**
     * @param key an array of arrays
     * @return its rows as float32
     */
    public List<float[]> rows(String key) {
        List<float[]> out = new ArrayList<>();
        for (JsonElement e : obj().getAsJsonArray(key)) {
            out.add(toFloats(e.getAsJsonArray()));
        }
        return out;
    }

    /**
     * The cell a case describes: its kind and size, and the options the file names ({@code peepholes},
     * {@code linearBeforeReset}, {@code clip}, {@code inputForget}, and {@code activations} as ONNX names with
     * {@code alpha}/{@code beta}, or {@code activation} for PyTorch's RNN nonlinearity). Parameters come from the
     * file, so the forget-bias initialisation is irrelevant and set to 0.
     *
     * @return the cell spec
     */
    public Cell cell() {
        int h = integer("hidden");
        List<Activation> acts = activations();
        float clip = has("clip") ? (float) number("clip") : 0f;
        switch (text("cell")) {
            case "lstm": {
                LstmCell.Builder b = LstmCell.builder(h).peepholes(flag("peepholes", false)).forgetBias(0f)
                        .coupledInputForget(flag("inputForget", false));
                if (clip > 0) {
                    b.clip(clip);
                }
                if (!acts.isEmpty()) {
                    b.activations(acts.get(0), acts.get(1), acts.get(2));
                }
                return b.build();
            }
            case "gru": {
                GruCell.Builder b = GruCell.builder(h).linearBeforeReset(flag("linearBeforeReset", false));
                if (clip > 0) {
                    b.clip(clip);
                }
                if (!acts.isEmpty()) {
                    b.activations(acts.get(0), acts.get(1));
                }
                return b.build();
            }
            case "rnn": {
                Activation a;
                if (!acts.isEmpty()) {
                    a = acts.get(0);
                } else {
                    a = "relu".equals(has("activation") ? text("activation") : "tanh") ? Activation.relu()
                            : Activation.tanh();
                }
                RnnCell.Builder b = RnnCell.builder(h).activation(a);
                if (clip > 0) {
                    b.clip(clip);
                }
                return b.build();
            }
            default:
                throw new IllegalArgumentException("unknown cell '" + text("cell") + "' in " + name);
        }
    }

    /** The {@code activations} list of an ONNX Runtime case (ONNX names and parameters), or empty. */
    private List<Activation> activations() {
        List<Activation> out = new ArrayList<>();
        if (!has("activations")) {
            return out;
        }
        for (JsonElement e : obj().getAsJsonArray("activations")) {
            JsonObject a = e.getAsJsonObject();
            float alpha = a.has("alpha") ? a.get("alpha").getAsFloat() : Float.NaN;
            float beta = a.has("beta") ? a.get("beta").getAsFloat() : Float.NaN;
            out.add(activation(a.get("name").getAsString(), alpha, beta));
        }
        return out;
    }

    private static Activation activation(String onnxName, float alpha, float beta) {
        return Activation.of(Activation.Kind.ofOnnxName(onnxName), alpha, beta);
    }

    /**
     * The cases of an array-valued file such as {@code optimizers.json}.
     *
     * @param name the file name without {@code .json}
     * @return one {@link Golden} per element
     */
    public static List<Golden> list(String name) {
        Golden all = load(name);
        List<Golden> out = new ArrayList<>();
        for (JsonElement e : all.json.getAsJsonArray()) {
            out.add(new Golden(e.getAsJsonObject().get("name").getAsString(), e));
        }
        return out;
    }

    private static float[] toFloats(JsonArray a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsFloat();
        }
        return v;
    }

    @Override
    public String toString() {
        return name;
    }
}
