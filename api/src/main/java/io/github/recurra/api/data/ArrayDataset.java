package io.github.recurra.api.data;

/** The in-memory dataset behind {@link Dataset#of} and {@link Dataset#builder}. */
final class ArrayDataset implements Dataset {
    private final float[] inputs;
    private final int timeSteps;
    private final int features;
    private final TargetKind kind;
    private final int[] labels;
    private final int classes;
    private final float[] targets;
    private final int targetSize;
    private final int[] lengths;

    ArrayDataset(Dataset.Builder b) {
        this.timeSteps = b.timeSteps;
        this.features = b.features;
        this.inputs = b.inputs;
        this.kind = b.kind;
        this.labels = b.labels;
        this.classes = b.classes;
        this.targets = b.targets;
        this.targetSize = b.targetSize;
        this.lengths = b.lengths;
    }

    @Override
    public int size() {
        return inputs.length / (timeSteps * features);
    }

    @Override
    public int timeSteps() {
        return timeSteps;
    }

    @Override
    public int features() {
        return features;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public TargetKind targetKind() {
        return kind;
    }

    @Override
    public int targetSize() {
        return targetSize;
    }

    @Override
    public boolean hasLengths() {
        return lengths != null;
    }

    @Override
    public int length(int index) {
        return lengths == null ? timeSteps : lengths[index];
    }

    @Override
    public void copyInputs(int index, float[] dst, int offset) {
        int per = timeSteps * features;
        System.arraycopy(inputs, index * per, dst, offset, per);
    }

    @Override
    public int label(int index) {
        if (kind != TargetKind.CLASS) {
            return Dataset.super.label(index);
        }
        return labels[index];
    }

    @Override
    public void copyLabels(int index, int[] dst, int offset) {
        if (kind != TargetKind.CLASS_PER_STEP) {
            Dataset.super.copyLabels(index, dst, offset);
        }
        System.arraycopy(labels, index * timeSteps, dst, offset, timeSteps);
    }

    @Override
    public void copyTargets(int index, float[] dst, int offset) {
        if (kind == TargetKind.VALUES) {
            System.arraycopy(targets, index * targetSize, dst, offset, targetSize);
        } else if (kind == TargetKind.VALUES_PER_STEP) {
            System.arraycopy(targets, index * timeSteps * targetSize, dst, offset, timeSteps * targetSize);
        } else {
            Dataset.super.copyTargets(index, dst, offset);
        }
    }
}
