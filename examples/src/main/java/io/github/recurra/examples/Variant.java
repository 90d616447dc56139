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
