package io.github.recurra.api;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.train.TrainingControl;
import io.github.recurra.api.train.TrainingHistory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A control for listener-level tests: the parameters at step s are every element equal to s (so a restored copy
 * tells which step it came from), and what the listener asks for is recorded.
 */
final class FakeControl implements TrainingControl {
    final Network network;
    final long total;
    final boolean validates;
    long step;
    String stopReason;
    long stopStep = -1;
    double factor = 1;
    final List<Parameters> setParameters = new ArrayList<>();

    FakeControl(Network network, long total, boolean validates) {
        this.network = network;
        this.total = total;
        this.validates = validates;
    }

    static Parameters at(Network network, long step) {
        Parameters p = io.github.recurra.api.param.Initialization.defaults().initialize(network, 0).zerosLike();
        p.asMap().values().forEach(t -> Arrays.fill(t.data(), step));
        return p;
    }

    @Override
    public Network network() {
        return network;
    }

    @Override
    public Optimizer optimizer() {
        return Optimizer.sgd(0.1);
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public long totalSteps() {
        return total;
    }

    @Override
    public boolean validates() {
        return validates;
    }

    @Override
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
            stopStep = step;
        }
    }

    @Override
    public boolean stopRequested() {
        return stopReason != null;
    }

    @Override
    public Parameters parameters() {
        return at(network, step);
    }

    @Override
    public void setParameters(Parameters parameters) {
        setParameters.add(parameters.copy());
    }

    @Override
    public double learningRateFactor() {
        return factor;
    }

    @Override
    public void setLearningRateFactor(double factor) {
        this.factor = factor;
    }

    @Override
    public TrainingHistory history() {
        return TrainingHistory.empty();
    }
}
