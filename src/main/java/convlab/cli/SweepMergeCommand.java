package convlab.cli;

import convlab.ops.Ops;
import convlab.report.RunInfo;
import convlab.report.SweepReport;
import convlab.report.SweepShards;
import convlab.verify.Sweep;
import convlab.verify.SweepMerge;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code convlab sweep merge DIR... --out DIR}: the shards of one sweep as the report the whole sweep writes. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Combine the outputs of `sweep --shard 1/N` .. `--shard N/N` into one report.", "",
                "Writes the report (report.html, .md, .json) and failure folders that the unsharded sweep with the same --seed, "
                        + "--count, --op, --gradients and engines writes, copying the failure folders it keeps from the shards. "
                        + "Refuses, in one line naming the report and the field, shards of different sweeps, unfinished shards, "
                        + "a shard given twice and a missing shard. Starts no engine."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every engine agreed wherever it produced numbers", "1:some engine disagreed",
                "2:invalid command line, or shards that do not make one sweep"})
public final class SweepMergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "The --out folders of the shards, in any order.")
    List<Path> shards;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the merged report and failures (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "sweep");

    @Override
    public Integer call() {
        for (Path s : shards) {
            if (s.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new ParameterException(spec.commandLine(), "--out: expected a folder that is not one of the shards', but found " + out);
            }
        }
        SweepShards.Read read = SweepShards.read(shards, Ops::sweep);
        Sweep.Result merged = SweepMerge.merge(read.parts(), out);
        RunInfo info = new RunInfo(read.convlab(), read.frameworks(), read.jdk(),
                ZonedDateTime.now().withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), List.of(), "convlab sweep merge");
        new SweepReport(info, merged).writeAll(out);
        return SweepCommand.summary(spec.commandLine().getOut(), merged, out);
    }
}
