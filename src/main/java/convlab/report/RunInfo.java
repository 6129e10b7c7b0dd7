package convlab.report;

import java.util.List;

/**
 * Where and with what a report was made: versions, date, the engines that ran, and the command that made it
 * ({@code convlab demo}; the report's title; empty when not known).
 */
public record RunInfo(String convlabVersion, String frameworkVersion, String jdk, String date, List<EngineInfo> engines, String command) {

    public RunInfo {
        engines = List.copyOf(engines);
        command = command == null ? "" : command;
    }

    /** The report's title: {@code convlab demo report} after the command that made it, or {@code fallback}. */
    public String title(String fallback) {
        return command.isEmpty() ? fallback : command + " report";
    }

    /** An engine's name and what it calls. */
    public record EngineInfo(String name, String description) {
    }
}
