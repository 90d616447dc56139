package io.github.recurra.api.spi;

import io.github.recurra.api.cell.Activation;
import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import java.util.EnumSet;
import java.util.Set;

/** What a backend can do. A backend lists its capabilities; asking for anything else fails at once. */
public enum Capability {
    /** Forward passes: outputs, final states, predictions. */
    INFERENCE,
    /** Loss and gradients (backpropagation through time). */
    TRAINING,
    /** Vanilla RNN cells. */
    RNN,
    /** LSTM cells. */
    LSTM,
    /** GRU cells. */
    GRU,
    /** LSTM peepholes. */
    PEEPHOLES,
    /** Clipping of gate pre-activations. */
    CELL_CLIP,
    /** LSTM with f = 1 − i. */
    COUPLED_INPUT_FORGET,
    /** Activations other than the defaults (sigmoid gates, tanh candidates; tanh or relu for RNN). */
    CUSTOM_ACTIVATIONS,
    /** More than one recurrent layer. */
    STACKED_LAYERS,
    /** Dropout between stacked layers in training. */
    LAYER_DROPOUT,
    /** Reverse direction. */
    REVERSE,
    /** Both directions with merged outputs. */
    BIDIRECTIONAL,
    /** Initial states given by the caller. */
    INITIAL_STATES,
    /** Per-example sequence lengths. */
    SEQUENCE_LENGTHS,
    /**
     * A last step read at the last time index ({@link io.github.recurra.api.model.LastStep#LAST_TIME_INDEX}) on a
     * reverse or bidirectional layer (on a forward one it equals the final state, so it needs nothing).
     */
    LAST_TIME_INDEX,
    /** A head read at every step. */
    PER_STEP_HEAD,
    /** Mean squared error heads. */
    REGRESSION_LOSS;

    /**
     * The capabilities a network needs for inference (add {@link #TRAINING} to train it).
     *
     * @param network the network
     * @return what it needs
     */
    public static Set<Capability> requiredBy(Network network) {
        Set<Capability> need = EnumSet.of(INFERENCE);
        if (network.layers().size() > 1) {
            need.add(STACKED_LAYERS);
        }
        if (network.dropout() > 0) {
            need.add(LAYER_DROPOUT);
        }
        for (Sequence s : network.layers()) {
            if (!s.returnSequences() && s.lastStep() == LastStep.LAST_TIME_INDEX
                    && s.direction() != Direction.FORWARD) {
                need.add(LAST_TIME_INDEX);
            }
            if (s.direction() == Direction.REVERSE) {
                need.add(REVERSE);
            } else if (s.direction() == Direction.BIDIRECTIONAL) {
                need.add(BIDIRECTIONAL);
            }
            Cell c = s.cell();
            if (c.hasClip()) {
                need.add(CELL_CLIP);
            }
            if (c instanceof LstmCell) {
                LstmCell l = (LstmCell) c;
                need.add(LSTM);
                if (l.hasPeepholes()) {
                    need.add(PEEPHOLES);
                }
                if (l.coupledInputForget()) {
                    need.add(COUPLED_INPUT_FORGET);
                }
                if (!l.gateActivation().equals(Activation.sigmoid()) || !l.cellActivation().equals(Activation.tanh())
                        || !l.outputActivation().equals(Activation.tanh())) {
                    need.add(CUSTOM_ACTIVATIONS);
                }
            } else if (c instanceof GruCell) {
                GruCell g = (GruCell) c;
                need.add(GRU);
                if (!g.gateActivation().equals(Activation.sigmoid())
                        || !g.candidateActivation().equals(Activation.tanh())) {
                    need.add(CUSTOM_ACTIVATIONS);
                }
            } else {
                need.add(RNN);
                Activation a = ((RnnCell) c).activation();
                if (!a.equals(Activation.tanh()) && !a.equals(Activation.relu())) {
                    need.add(CUSTOM_ACTIVATIONS);
                }
            }
        }
        network.head().ifPresent(h -> {
            if (h.target() == Head.Target.EVERY_STEP) {
                need.add(PER_STEP_HEAD);
            }
            if (h.loss() == Head.Loss.MEAN_SQUARED_ERROR) {
                need.add(REGRESSION_LOSS);
            }
        });
        return need;
    }
}
