package io.github.recurra.examples.data;

import java.io.PrintStream;
import java.util.Locale;

/** A download's progress as plain lines: the start, each tenth of the total, the end. */
final class LineProgress implements Progress {
    private final PrintStream out;
    private String task;
    private long total;
    private long done;
    private int tenths;

    LineProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void start(String task, long total) {
        this.task = task;
        this.total = total;
        this.done = 0;
        this.tenths = 0;
        out.println("Downloading " + task + (total >= 0 ? " (" + mb(total) + " MB)" : "") + " ...");
    }

    @Override
    public void advance(long done) {
        this.done = done;
        if (total <= 0) {
            return;
        }
        int now = (int) Math.min(10, 10 * done / total);
        // the last tenth is the end, which finish() reports
        if (now > tenths && now < 10) {
            tenths = now;
            out.println(String.format(Locale.ROOT, "  %s: %d%% (%s of %s MB)", task, 10 * now, mb(done), mb(total)));
        }
    }

    @Override
    public void finish() {
        if (task != null) {
            out.println("  " + task + ": " + mb(done) + " MB received");
            task = null;
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
