package io.github.recurra.tensorflow;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.optim.AdamW;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerState;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.spi.TrainingSession;
import io.github.recurra.api.spi.TrainingStep;
import io.github.recurra.api.train.Metrics;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The TensorFlow model's native {@link TrainingSession}: the optimizer's slots are variables in the model's graph and
 * the update runs there ({@link UpdateGraph}). A {@link #step} is one {@code Session.run}: the forward pass, the graph
 * gradients, clipping, the update and the all-or-nothing check together; it feeds the batch and a few scalars (the
 * learning rate, scaled by the {@linkplain #setLearningRateFactor learning-rate factor}, and Adam's bias corrections,
 * computed here in double per update as the host rules do, so a new factor needs no new graph) and fetches
 * only the logits, the final states, the global norm and whether the update was applied. No parameter leaves the
 * graph. {@link #apply} feeds the given gradients into a second entry of the same update.
 *
 * <p>The loss reported is computed in Java from the fetched logits (as {@code Model.lossAndGradients} does); the
 * in-graph check that refuses an update tests the graph's float32 objective for finiteness instead. Not thread-safe
 * (as the interface); each call holds the model's write lock.
 */
final class TfTrainingSession implements TrainingSession {
    private final TfModel model;
    private final Optimizer optimizer;
    private final TrainingGraph graph;
    private long updates;
    private double learningRateFactor = 1;
    private boolean closed;
    /** For profiling (tests): when set, steps run with these options and keep their metadata. */
    org.tensorflow.proto.RunOptions trace;
    /** The metadata of the last traced step. */
    org.tensorflow.proto.RunMetadata metadata;

    TfTrainingSession(TfModel model, Optimizer optimizer, TrainingGraph graph) {
        this.model = model;
        this.optimizer = optimizer;
        this.graph = graph;
        graph.slots().zero(model.session());
    }

    @Override
    public Model model() {
        checkOpen();
        return model;
    }

    @Override
    public Optimizer optimizer() {
        checkOpen();
        return optimizer;
    }

    @Override
    public TrainingStep step(Batch batch, States initial, long seed) {
        checkOpen();
        Head head = model.network().requireHead();
        model.checkTraining(batch, initial);
        return model.exclusive(() -> {
            Piece p = model.piece(new Piece.Key(batch.timeSteps(), batch.lengths() != null, Piece.Mode.TRAINING,
                    batch.size()));
            UpdateGraph.Update u = graph.step(p);
            try (Run run = new Run(model.session(), p, model.network(), batch, initial, model.zeros(),
                    model.network().dropout() > 0, seed); Scalars s = new Scalars()) {
                run.feedLoss(head);
                Session.Runner r = run.runner(false);
                s.feed(r);
                r.fetch(u.norm()).fetch(u.ok()).addTarget(u.target());
                if (trace != null) {
                    r.setOptions(trace);
                }
                try (Result res = trace != null ? r.runAndFetchMetadata() : r.run()) {
                    if (trace != null) {
                        metadata = res.getMetadata().orElse(null);
                    }
                    TfModel.Outputs o = run.outputs(res);
                    int at = run.fetched();
                    double norm = ((TFloat64) res.get(at)).getDouble();
                    boolean ok = ((TBool) res.get(at + 1)).getBoolean();
                    if (ok) {
                        updates++;
                    }
                    double loss = Metrics.loss(head, o.logits(), batch);
                    return new TrainingStep(loss, o.logits(), norm, o.finals(), ok);
                }
            }
        });
    }

    @Override
    public double apply(Parameters gradients) {
        checkOpen();
        model.variables().layout().checkSameLayout(gradients, "the gradients");
        return model.exclusive(() -> {
            UpdateGraph.Update u = graph.apply();
            List<TFloat32> tensors = new ArrayList<>();
            try (Scalars s = new Scalars()) {
                Session.Runner r = model.session().runner();
                List<String> names = model.variables().names();
                for (int i = 0; i < names.size(); i++) {
                    TFloat32 t = Feeds.tensor(gradients.get(names.get(i)));
                    tensors.add(t);
                    r.feed(graph.gradientFeeds().get(i), t);
                }
                s.feed(r);
                r.fetch(u.norm()).fetch(u.ok()).addTarget(u.target());
                try (Result res = r.run()) {
                    double norm = ((TFloat64) res.get(0)).getDouble();
                    if (!((TBool) res.get(1)).getBoolean()) {
                        return Double.NaN;
                    }
                    updates++;
                    return norm;
                }
            } finally {
                tensors.forEach(TFloat32::close);
            }
        });
    }

    /** The scalar feeds of update {@code updates + 1}, computed as the host rules compute them. */
    private final class Scalars implements AutoCloseable {
        private final List<Tensor> tensors = new ArrayList<>();

        void feed(Session.Runner r) {
            long t = updates + 1;
            // the factor scales the rate before anything is derived from it, as OptimizerState does: the graph already
            // takes the rate (and the step size and decay made from it) as fed scalars, so it is never rebuilt
            double lr = optimizer.schedule().rate(t) * learningRateFactor;
            double bc1 = 1;
            double bc2Sqrt = 1;
            double wd = 0;
            if (optimizer instanceof Adam a) {
                bc1 = 1 - Math.pow(a.beta1(), t);
                bc2Sqrt = Math.sqrt(1 - Math.pow(a.beta2(), t));
            } else if (optimizer instanceof AdamW a) {
                bc1 = 1 - Math.pow(a.beta1(), t);
                bc2Sqrt = Math.sqrt(1 - Math.pow(a.beta2(), t));
                wd = a.weightDecay();
            }
            UpdateGraph.Scalars s = graph.scalars();
            r.feed(s.rate(), keep(TFloat32.scalarOf((float) lr)));
            r.feed(s.first(), keep(TBool.scalarOf(t == 1)));
            r.feed(s.stepSize(), keep(TFloat32.scalarOf((float) (lr / bc1))));
            r.feed(s.decay(), keep(TFloat32.scalarOf((float) (1 - lr * wd))));
            r.feed(s.bc2Sqrt(), keep(TFloat64.scalarOf(bc2Sqrt)));
        }

        private <T extends Tensor> T keep(T t) {
            tensors.add(t);
            return t;
        }

        @Override
        public void close() {
            tensors.forEach(Tensor::close);
        }
    }

    @Override
    public long updates() {
        checkOpen();
        return updates;
    }

    @Override
    public double learningRateFactor() {
        checkOpen();
        return learningRateFactor;
    }

    @Override
    public void setLearningRateFactor(double factor) {
        checkOpen();
        learningRateFactor = OptimizerState.checkLearningRateFactor(factor);
    }

    @Override
    public Parameters slots() {
        checkOpen();
        return model.exclusive(() -> graph.slots().read(model.session()));
    }

    @Override
    public void restore(Parameters slots, long updates) {
        checkOpen();
        graph.slots().layout().checkSameLayout(slots, "the saved optimizer state");
        if (updates < 0) {
            throw new IllegalArgumentException("the saved step count must be at least 0 but was " + updates);
        }
        model.exclusive(() -> {
            graph.slots().write(model.session(), slots);
            return null;
        });
        this.updates = updates;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this training session is closed; open a new one with "
                    + "Model.openTraining (and restore its slots to continue)");
        }
    }
}
