package convlab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Usage help that wraps at word boundaries only. picocli wraps with {@link java.text.BreakIterator#getLineInstance()},
 * whose rules allow a break after a '.' followed by a letter, so {@code report.md} could end one line at
 * {@code report.} and start the next with {@code md}. Before the help is drawn, such dots in every description are
 * held as a private-use character (which the break iterator keeps inside its word, and which is as wide), and every
 * help section turns it back into a dot. A description's source lines are joined into paragraphs first
 * ({@link #joinContinuations}), so picocli, not the line ends of the source, decides where lines break.
 */
final class HelpText {

    /** Stands for a dot inside a word while picocli wraps; never printed. */
    static final char HELD_DOT = '\uE000';
    private static final Pattern DOT_IN_WORD = Pattern.compile("(?<=[\\p{Alnum}>*_(/-])\\.(?=\\p{Alpha})");

    private HelpText() {
    }

    /** Applies to {@code cl} and each of its subcommands. */
    static void keepWordsWhole(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        spec.usageMessage().description(hold(joinContinuations(spec.usageMessage().description())));
        spec.usageMessage().header(hold(spec.usageMessage().header()));
        spec.usageMessage().footer(hold(spec.usageMessage().footer()));
        Map<String, String> codes = new java.util.LinkedHashMap<>();
        spec.usageMessage().exitCodeList().forEach((code, text) -> codes.put(code, hold(new String[] {text})[0]));
        spec.usageMessage().exitCodeList(codes);
        for (OptionSpec o : new ArrayList<>(spec.options())) {
            String[] d = hold(joinContinuations(o.description()));
            if (!java.util.Arrays.equals(d, o.description())) {
                spec.remove(o);
                spec.addOption(o.toBuilder().description(d).build());
            }
        }
        for (PositionalParamSpec p : new ArrayList<>(spec.positionalParameters())) {
            String[] d = hold(joinContinuations(p.description()));
            if (!java.util.Arrays.equals(d, p.description())) {
                spec.remove(p);
                spec.addPositional(p.toBuilder().description(d).build());
            }
        }
        Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
        for (String key : List.copyOf(sections.keySet())) {
            CommandLine.IHelpSectionRenderer r = sections.get(key);
            sections.put(key, help -> r.render(help).replace(HELD_DOT, '.'));
        }
        cl.setHelpSectionMap(sections);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getParent() == cl) {
                keepWordsWhole(sub);
            }
        }
    }

    /**
     * A description's source lines joined into the paragraphs they are, so picocli wraps them to the terminal: picocli
     * starts a new line at every element of a description array, and the sources split long sentences across
     * elements. An element continues the one before unless either is empty (a paragraph break), it starts with a space
     * or a list mark ({@code -}, {@code *}), or the one before ends with a colon (a list follows).
     */
    static String[] joinContinuations(String[] lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            int last = out.size() - 1;
            boolean continues = last >= 0 && !out.get(last).isEmpty() && !line.isEmpty() && !out.get(last).endsWith(":")
                    && !line.startsWith(" ") && !line.startsWith("-") && !line.startsWith("*") && !line.contains("%n")
                    && !out.get(last).contains("%n");
            if (continues) {
                out.set(last, out.get(last) + " " + line);
            } else {
                out.add(line);
            }
        }
        return out.toArray(new String[0]);
    }

    private static String[] hold(String[] lines) {
        String[] out = new String[lines.length];
        for (int i = 0; i < lines.length; i++) {
            out[i] = DOT_IN_WORD.matcher(lines[i]).replaceAll(String.valueOf(HELD_DOT));
        }
        return out;
    }
}
