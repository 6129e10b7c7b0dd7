package convlab.cli;

import convlab.engine.CommandEngine;
import convlab.engine.Engine;
import convlab.engine.Engines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --engines} option every command that cross-checks shares. ND4J starts only when an engine is wanted. */
final class EngineOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--engines", split = ",", paramLabel = "NAME",
            description = "Engines to cross-check: any of nd4j, nd4j-onednn, dl4j, im2col, or none (default: all).")
    List<String> names = new ArrayList<>();

    @Option(names = "--engine-command", paramLabel = "NAME=COMMAND",
            description = "Your own implementation as an engine (repeatable): COMMAND FOLDER reads input.npy, weights.npy,"
                    + " bias.npy and layer.json from FOLDER and writes output.npy there (README: \"Check your own convolution\").")
    List<String> commands = new ArrayList<>();

    @Option(names = "--engine-timeout", paramLabel = "SECONDS", description = "Time limit per --engine-command call (default 60).")
    int timeoutSeconds = 60;

    @Option(names = "--keep-engine-dirs", description = "Keep the folders --engine-command calls ran in (their paths are in the notes).")
    boolean keepDirs;

    /** The engines named (all built-in ones by default, none for "none"), then every --engine-command. */
    List<Engine> engines() {
        List<Engine> engines = new ArrayList<>(builtIn());
        if (timeoutSeconds < 1) {
            throw new ParameterException(mixee.commandLine(), "--engine-timeout: expected seconds >= 1, but found " + timeoutSeconds);
        }
        for (String c : commands) {
            CommandEngine e;
            try {
                e = CommandEngine.parse(c, Duration.ofSeconds(timeoutSeconds), keepDirs);
            } catch (IllegalArgumentException ex) {
                throw new ParameterException(mixee.commandLine(), "--engine-command: " + ex.getMessage());
            }
            if (Engines.names().contains(e.name()) || e.name().equals("reference") || e.name().equals("none")
                    || engines.stream().anyMatch(x -> x.name().equals(e.name()))) {
                throw new ParameterException(mixee.commandLine(), "--engine-command: expected a name not taken by a built-in engine,"
                        + " the reference or another --engine-command, but found \"" + e.name() + "\"");
            }
            engines.add(e);
        }
        return engines;
    }

    private List<Engine> builtIn() {
        if (names.size() == 1 && names.get(0).equals("none")) {
            return List.of();
        }
        if (names.isEmpty()) {
            return Engines.all();
        }
        for (String n : names) {
            if (!Engines.names().contains(n)) {
                throw new ParameterException(mixee.commandLine(), "--engines: expected nd4j, nd4j-onednn, dl4j, im2col or none, but found \"" + n + "\"");
            }
        }
        return names.stream().map(Engines::named).toList();
    }
}
