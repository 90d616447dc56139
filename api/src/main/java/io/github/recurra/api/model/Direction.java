package io.github.recurra.api.model;

/** The direction a sequence is read in (ONNX {@code direction}). */
public enum Direction {
    /** From the first time step to the last. */
    FORWARD("forward", 1),
    /** From the last time step to the first; outputs stay aligned with the original time index. */
    REVERSE("reverse", 1),
    /** Both, with their outputs merged per {@link MergeMode}. */
    BIDIRECTIONAL("bidirectional", 2);

    private final String onnxName;
    private final int count;

    Direction(String onnxName, int count) {
        this.onnxName = onnxName;
        this.count = count;
    }

    /** @return the ONNX attribute value */
    public String onnxName() {
        return onnxName;
    }

    /** @return how many directions run: 1 or 2 (the leading {@code dirs} axis of W, R, B and P) */
    public int count() {
        return count;
    }
}
