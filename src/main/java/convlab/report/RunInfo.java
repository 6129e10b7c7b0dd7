package convlab.report;

import java.util.List;

/** Where and with what a report was made: versions, date and the engines that ran. */
public record RunInfo(String convlabVersion, String frameworkVersion, String jdk, String date, List<EngineInfo> engines) {

    public RunInfo {
        engines = List.copyOf(engines);
    }

    /** An engine's name and what it calls. */
    public record EngineInfo(String name, String description) {
    }
}
