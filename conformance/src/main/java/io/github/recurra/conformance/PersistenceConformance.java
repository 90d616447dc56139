package io.github.recurra.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Ops;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.train.Trainer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistence across backends: a network trained (when the backend trains) and saved as a {@link ModelFile} from one
 * backend loads on another and predicts the same classes, with logits within {@link Tolerances#crossBackend()}; saved
 * and loaded on the same backend it predicts bit for bit what it predicted before.
 */
@ConformanceArea("persistence")
public abstract class PersistenceConformance extends ConformanceBase {

    /** A network with most of the parameter kinds: peepholes, a bidirectional GRU layer, a head. */
    static final Network NETWORK = Network.builder(5)
            .layer(Sequence.builder(LstmCell.builder(8).peepholes(true).build()).returnSequences(true).build())
            .layer(Sequence.builder(GruCell.of(6)).direction(Direction.BIDIRECTIONAL).build())
            .head(Head.classifier(4)).build();

    @TempDir
    Path dir;

    /**
     * @param under the backend under test
     */
    protected PersistenceConformance(BackendUnderTest under) {
        super(under);
    }

    private static Batch batch() {
        SplittableRandom r = new SplittableRandom(3);
        int b = 16;
        float[] x = new float[b * 7 * 5];
        int[] labels = new int[b];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b; i++) {
            labels[i] = r.nextInt(4);
        }
        return new Batch(Tensor.wrap(x, b, 7, 5), labels);
    }

    /** Parameters worth saving: after a few training steps when the backend trains, else the initial ones. */
    private static Parameters trained(Model m, boolean trains) {
        if (trains) {
            Batch b = batch();
            Trainer.builder().optimizer(Optimizer.adam(0.05)).batchSize(b.inputs().dim(0)).epochs(3).seed(1).build()
                    .fit(m, Dataset.of(b.inputs().data(), b.labels(), 7, 5, 4));
        }
        return m.parameters();
    }

    @Test
    void savedOnThisBackendPredictsTheSameOnTheReference() {
        Parameters init = Initialization.defaults().initialize(NETWORK, 9);
        Path file = dir.resolve("saved-on-" + backendName() + ".recurra");
        Forward before;
        try (Model m = compile(NETWORK, init, null)) {
            Parameters p = trained(m, backend().supports(Capability.TRAINING));
            ModelFile.of(NETWORK, p).save(file);
            before = m.forward(batch(), null);
        }
        ModelFile loaded = ModelFile.load(file);
        try (Model ref = compileReference(loaded.network(), loaded.parameters())) {
            compare(before, ref.forward(batch(), null), "saved on '" + backendName() + "', loaded on '"
                    + reference().name() + "'");
        }
    }

    @Test
    void savedOnTheReferenceLoadsHere() {
        Parameters init = Initialization.defaults().initialize(NETWORK, 10);
        Path file = dir.resolve("saved-on-reference.recurra");
        Forward before;
        try (Model ref = compileReference(NETWORK, init)) {
            ModelFile.of(NETWORK, trained(ref, reference().supports(Capability.TRAINING))).save(file);
            before = ref.forward(batch(), null);
        }
        ModelFile loaded = ModelFile.load(file);
        try (Model m = compile(loaded.network(), loaded.parameters(), null)) {
            compare(before, m.forward(batch(), null), "saved on '" + reference().name() + "', loaded on '"
                    + backendName() + "'");
        }
    }

    @Test
    void savedAndLoadedOnThisBackendPredictsBitForBit() {
        Parameters init = Initialization.defaults().initialize(NETWORK, 11);
        Path file = dir.resolve("round-trip.recurra");
        Forward before;
        try (Model m = compile(NETWORK, init, null)) {
            ModelFile.of(NETWORK, trained(m, backend().supports(Capability.TRAINING))).save(file);
            before = m.forward(batch(), null);
        }
        ModelFile loaded = ModelFile.load(file);
        try (Model m = compile(loaded.network(), loaded.parameters(), null)) {
            Forward after = m.forward(batch(), null);
            assertArrayEquals(before.logits().data(), after.logits().data(), "logits after saving and loading");
        }
    }

    /**
     * The same predicted class for every example, and class probabilities and logits within
     * {@link Tolerances#crossBackend()}: two backends' float32 kernels sum in different orders, so their probabilities
     * agree to rounding, not bit for bit.
     */
    private void compare(Forward expected, Forward actual, String what) {
        assertArrayEquals(classes(expected.predictions()), classes(actual.predictions()), what + ": predicted classes");
        tolerances().crossBackend().assertClose(expected.predictions().data(), actual.predictions().data(),
                what + ": class probabilities");
        tolerances().crossBackend().assertClose(expected.logits().data(), actual.logits().data(), what + ": logits");
    }

    private static int[] classes(Tensor probabilities) {
        int rows = probabilities.dim(0);
        int cols = probabilities.dim(1);
        int[] classes = new int[rows];
        for (int r = 0; r < rows; r++) {
            classes[r] = Ops.argmaxRow(probabilities.data(), r, cols);
        }
        return classes;
    }
}
