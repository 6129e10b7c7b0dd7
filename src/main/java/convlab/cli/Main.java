package convlab.cli;

import convlab.io.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code convlab} command and its subcommands. */
@Command(name = "convlab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "See and verify 2D convolution: a teaching implementation cross-checked against ND4J, DL4J, PyTorch and TensorFlow.",
        subcommands = {DemoCommand.class, VerifyCommand.class, FigureCommand.class, AnimateCommand.class, SweepCommand.class,
                ExplainCommand.class, LessonCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything that produced numbers agrees", "1:something disagrees", "2:invalid input or command line"})
public final class Main {

    public static final int AGREE = 0;
    public static final int DISAGREE = 1;
    public static final int INVALID = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: tests call {@code execute} on it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.getCommandSpec().exitCodeOnInvalidInput(INVALID);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof InvalidInputException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("convlab: " + ex.getMessage());
                return INVALID;
            }
            throw ex;
        });
        return cl;
    }

    /** The command line as the user typed it, for a report's title: {@code convlab lesson case.json --out out/l}. */
    static String typed(CommandSpec spec) {
        return "convlab " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    /** The version from the jar's manifest (the Maven project version). */
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"convlab " + version()};
        }
    }
}
