package io.github.recurra.examples;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import java.util.Locale;

/** The tutorial's cell variants, by their command-line names. */
enum Variant {
    /** TensorFlow's {@code BasicLSTMCell}: forget bias 1.0, no peepholes. */
    BASIC_LSTM("basic-lstm") {
        @Override
        Cell cell(int hidden) {
            return LstmCell.builder(hidden).forgetBias(1.0f).build();
        }
    },
    /** TensorFlow's {@code LSTMCell} with peepholes, forget bias 1.0. */
    LSTM("lstm") {
        @Override
        Cell cell(int hidden) {
            return LstmCell.builder(hidden).forgetBias(1.0f).peepholes(true).build();
        }
    },
    /** TensorFlow 1's {@code GRUCell}: reset gate applied before the recurrent product. */
    GRU("gru") {
        @Override
        Cell cell(int hidden) {
            return GruCell.builder(hidden).linearBeforeReset(false).build();
        }
    },
    /**
     * The tutorial's dynamically unrolled GRU ({@code dynamic_rnn} with sequence lengths): the same cell as
     * {@link #GRU}, but each image is read only down to its last row with ink; the blank rows below are padding that
     * the network skips, and the classifier reads each image's own last step.
     */
    GRU_DYNAMIC("gru-dynamic") {
        @Override
        Cell cell(int hidden) {
            return GRU.cell(hidden);
        }

        @Override
        boolean dynamic() {
            return true;
        }
    },
    /** A tanh RNN. */
    RNN("rnn") {
        @Override
        Cell cell(int hidden) {
            return RnnCell.of(hidden);
        }
    };

    private final String cliName;

    Variant(String cliName) {
        this.cliName = cliName;
    }

    abstract Cell cell(int hidden);

    /** @return whether examples carry their own lengths */
    boolean dynamic() {
        return false;
    }

    String cliName() {
        return cliName;
    }

    static Variant parse(String name) {
        for (Variant v : values()) {
            if (v.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        StringBuilder all = new StringBuilder();
        for (Variant v : values()) {
            all.append(all.length() > 0 ? ", " : "").append(v.cliName);
        }
        throw new IllegalArgumentException("unknown cell '" + name + "'; choose one of " + all);
    }
}
