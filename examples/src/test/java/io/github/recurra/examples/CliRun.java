package io.github.recurra.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * One run of the tool's command line, as {@link Main#main} runs it but without exiting: its status, what the
 * commands printed on standard output and what the error handler printed.
 *
 * @param code the exit status (0 success, 2 a reported error)
 * @param out  standard output
 * @param err  the error stream of the command line ({@code error: ...} lines)
 */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            // before the command line is made: picocli's usage help goes to the System.out of that moment
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
            code = cl.execute(args);
        } finally {
            System.setOut(old);
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** @return this run's output, for assertion messages */
    @Override
    public String toString() {
        return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
}
