package io.github.recurra.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code recurra} command-line tool. */
@Command(name = "recurra", mixinStandardHelpOptions = true, version = "recurra 0.1.0-SNAPSHOT",
        description = "Recurrent neural networks on the JVM.",
        subcommands = {MnistCommand.class, TaskCommand.class, ForecastCommand.class, TrainCommand.class,
            EvaluateCommand.class, InfoCommand.class, FetchCommand.class, BenchCommand.class, ExportCommand.class,
            PredictCommand.class, SoakCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Called by picocli. */
    public Main() {
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The tool's command line, with its error handling: a bad option, a bad argument or bad data prints one line,
     * {@code error: <message>}, on the error stream and exits with status 2 instead of printing a stack trace or the
     * whole usage.
     *
     * @return a new command line
     */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("error: " + e.getMessage() + " (see " + cmd.getCommandSpec().qualifiedName()
                    + " --help)");
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof UnsupportedOperationException || e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
