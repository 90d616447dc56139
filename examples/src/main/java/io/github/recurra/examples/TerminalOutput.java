package io.github.recurra.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * One writer for a terminal that shows log lines and a progress bar at once. The bar lives on the last line; a log
 * line first clears it ({@code \r} and the ANSI erase-to-end-of-line), is printed whole from column 0, and the bar is
 * drawn again below it. Everything goes through this object's lock, so the bar's refresh thread and the training
 * thread never interleave within a line. (Writing the bar and the log lines to two streams of one terminal, as the
 * command line once did with standard error and standard output, lets a carriage return of one land in the middle of
 * the other's line.)
 */
final class TerminalOutput {
    /** Carriage return, then ANSI "erase to the end of the line". */
    static final String CLEAR_LINE = "\r\033[K";

    private final PrintStream out;
    private String bar = "";

    /**
     * @param out the terminal (modified: written and flushed)
     */
    TerminalOutput(PrintStream out) {
        this.out = out;
    }

    /**
     * Prints one log line above the bar.
     *
     * @param text the line, without its line separator
     */
    synchronized void line(String text) {
        if (!bar.isEmpty()) {
            out.print(CLEAR_LINE);
        }
        out.print(text);
        out.print(System.lineSeparator());
        out.print(bar);
        out.flush();
    }

    /** Draws the bar in place of the previous one. */
    synchronized void drawBar(String rendered) {
        out.print(CLEAR_LINE);
        out.print(rendered);
        out.flush();
        bar = rendered;
    }

    /** Ends the bar: its last state stays on screen as an ordinary line. */
    synchronized void endBar() {
        if (!bar.isEmpty()) {
            out.print(System.lineSeparator());
            out.flush();
            bar = "";
        }
    }

    /** Removes the bar from the screen. */
    synchronized void clearBar() {
        if (!bar.isEmpty()) {
            out.print(CLEAR_LINE);
            out.flush();
            bar = "";
        }
    }

    /**
     * @return a stream whose complete lines (UTF-8, ended by {@code \n}) are printed with {@link #line}; for
     *     listeners that print, such as {@code TrainingListener.tutorialLog}
     */
    PrintStream lines() {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    String s = pending.toString(StandardCharsets.UTF_8);
                    pending.reset();
                    line(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
                } else {
                    pending.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    /**
     * @param width the widest bar to draw, in columns
     * @return a consumer that draws a progress bar through this writer
     */
    ProgressBarConsumer barConsumer(int width) {
        return new ProgressBarConsumer() {
            @Override
            public int getMaxRenderedLength() {
                return width;
            }

            @Override
            public void accept(String rendered) {
                drawBar(rendered);
            }

            @Override
            public void clear() {
                clearBar();
            }

            @Override
            public void close() {
                endBar();
            }
        };
    }
}
