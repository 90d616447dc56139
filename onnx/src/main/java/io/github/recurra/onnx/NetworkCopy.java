package io.github.recurra.onnx;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;

/** Compares networks in what an ONNX graph can say, ignoring what it cannot. */
final class NetworkCopy {
    private NetworkCopy() {
    }

    /**
     * @param graph    the network the graph describes
     * @param metadata the network the metadata names
     * @return {@code metadata} if it differs from {@code graph} only in what a graph cannot say (forget-bias
     *     initialisation, dropout, the head's loss, the merge mode of one direction, the last step of a forward one), else null
     */
    static Network withUnseen(Network graph, Network metadata) {
        return unseenNormalised(graph).equals(unseenNormalised(metadata)) ? metadata : null;
    }

    private static Network unseenNormalised(Network n) {
        Network.Builder b = Network.builder(n.inputSize());
        for (Sequence s : n.layers()) {
            Cell c = s.cell();
            if (c instanceof LstmCell l) {
                c = LstmCell.builder(l.hiddenSize()).forgetBias(0f).peepholes(l.hasPeepholes()).clip(l.clip())
                        .coupledInputForget(l.coupledInputForget())
                        .activations(l.gateActivation(), l.cellActivation(), l.outputActivation()).build();
            }
            boolean one = s.direction().count() == 1;
            boolean forward = s.direction() == Direction.FORWARD;
            b.layer(Sequence.builder(c).direction(s.direction()).mergeMode(one ? MergeMode.CONCAT : s.mergeMode())
                    .returnSequences(s.returnSequences())
                    .lastStep(forward ? LastStep.FINAL_STATES : s.lastStep()).build());
        }
        n.head().ifPresent(h -> b.head(Head.of(h.outputs(), h.target(), h.outputs() >= 2
                ? Head.Loss.SOFTMAX_CROSS_ENTROPY : Head.Loss.MEAN_SQUARED_ERROR)));
        return b.build();
    }
}
