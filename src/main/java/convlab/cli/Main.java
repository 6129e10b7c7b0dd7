package convlab.cli;

import convlab.core.Budget;
import convlab.io.AtomicFiles;
import convlab.io.InvalidInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code convlab} command and its subcommands. */
@Command(name = "convlab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "See and verify 2D convolution: a teaching implementation cross-checked against ND4J, DL4J, PyTorch and TensorFlow.",
        subcommands = {DemoCommand.class, VerifyCommand.class, FigureCommand.class, AnimateCommand.class, SweepCommand.class,
                ExplainCommand.class, LessonCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything that produced numbers agrees", "1:something disagrees", "2:invalid input or command line",
                "3:internal error: a bug in convlab (the full trace goes to DIR/convlab-error.log)"})
public final class Main {

    public static final int AGREE = 0;
    public static final int DISAGREE = 1;
    public static final int INVALID = 2;
    public static final int INTERNAL = 3;

    /** The name of the file an internal error's stack trace is appended to, in the command's --out directory. */
    public static final String ERROR_LOG = "convlab-error.log";

    @Option(names = "--max-elements", scope = ScopeType.INHERIT, paramLabel = "N", defaultValue = "134217728",
            description = "Size budget: the most elements one tensor may hold, checked before allocating (default: ${DEFAULT-VALUE} = 2^27).")
    void maxElements(long n) {
        Budget.setMaxElements(n);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: tests call {@code execute} on it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        HelpText.keepWordsWhole(cl);
        cl.getCommandSpec().exitCodeOnInvalidInput(INVALID);
        // picocli lets Errors (out of memory, stack overflow) escape execute(); hand them to the handler like exceptions.
        // --max-elements holds for one run: the budget is back at its default afterwards.
        cl.setExecutionStrategy(parsed -> {
            try {
                return new CommandLine.RunLast().execute(parsed);
            } catch (Error e) {
                throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), String.valueOf(e), e);
            } finally {
                Budget.setMaxElements(Budget.DEFAULT);
            }
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable t = ex instanceof CommandLine.ExecutionException && ex.getCause() != null ? ex.getCause() : ex;
            if (t instanceof InvalidInputException || t instanceof IllegalArgumentException
                    || t instanceof AtomicFiles.OutputException || t instanceof UncheckedIOException) {
                cmd.getErr().println("convlab: " + oneLine(t.getMessage()));
                cmd.getErr().flush();
                return INVALID;
            }
            Path log = writeTrace(t, outDir(parsed));
            cmd.getErr().println("convlab: internal error, a bug in convlab (" + oneLine(String.valueOf(t)) + "); the full trace is in "
                    + (log == null ? "no file (none could be written)" : log));
            cmd.getErr().flush();
            return INTERNAL;
        });
        return cl;
    }

    /** The --out directory of the command that ran, if it has one. */
    static Path outDir(ParseResult parsed) {
        ParseResult p = parsed;
        while (p != null && p.hasSubcommand()) {
            p = p.subcommand();
        }
        if (p == null || p.commandSpec().findOption("--out") == null) {
            return null;
        }
        Object v = p.commandSpec().findOption("--out").getValue();
        return v instanceof Path path ? path : null;
    }

    /**
     * Appends the trace to {@code <out>/convlab-error.log}, or to a new temporary file when there is no --out or it
     * cannot be written; returns the file, or null when neither could be written.
     */
    static Path writeTrace(Throwable t, Path out) {
        StringWriter sw = new StringWriter();
        sw.append("convlab ").append(version()).append(", ").append(ZonedDateTime.now().toString()).append('\n');
        t.printStackTrace(new PrintWriter(sw));
        byte[] text = sw.toString().getBytes(StandardCharsets.UTF_8);
        if (out != null) {
            try {
                Files.createDirectories(out);
                Path log = out.resolve(ERROR_LOG);
                Files.write(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                return log;
            } catch (IOException | RuntimeException e) {
                // fall back to a temporary file
            }
        }
        try {
            Path log = Files.createTempFile("convlab-error-", ".log");
            Files.write(log, text);
            return log;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.strip().replaceAll("\\s*\\R\\s*", " ");
        return line.length() > 2000 ? line.substring(0, 1997) + "..." : line;

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
