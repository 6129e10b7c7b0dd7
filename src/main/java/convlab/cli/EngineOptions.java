package convlab.cli;

import convlab.engine.Engine;
import convlab.engine.Engines;
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
            description = "Engines to cross-check: any of nd4j, nd4j-onednn, dl4j, or none (default: all).")
    List<String> names = new ArrayList<>();

    /** The engines named (all by default, none for "none"). */
    List<Engine> engines() {
        if (names.size() == 1 && names.get(0).equals("none")) {
            return List.of();
        }
        if (names.isEmpty()) {
            return Engines.all();
        }
        for (String n : names) {
            if (!Engines.names().contains(n)) {
                throw new ParameterException(mixee.commandLine(), "--engines: expected nd4j, nd4j-onednn, dl4j or none, but found \"" + n + "\"");
            }
        }
        return names.stream().map(Engines::named).toList();
    }
}
