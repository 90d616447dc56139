package io.github.recurra.api.train;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the ready-made callbacks and the training run share. */
final class Callbacks {
    private Callbacks() {
    }

    static void checkMinDelta(double minDelta) {
        if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
            throw new IllegalArgumentException("minDelta must be finite and at least 0 but was " + minDelta);
        }
    }

    /** Fails if the file's directory does not exist. */
    static void checkDirectory(Path file, String what) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the directory " + dir + " of the " + what + " " + file + " does not "
                    + "exist; create it before training");
        }
    }
}
