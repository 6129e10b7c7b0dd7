package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Every command's usage help, at 80 and 120 columns, wraps at word boundaries: no line ends inside a file name
 * ("report." then "md"), every file name the help mentions reads whole, and no held dot leaks into the output.
 */
class HelpTextTest {

    /** A file name with one of the extensions convlab reads or writes. */
    private static final String EXTENSIONS = "npy|json|md|html|gif|png|svg|txt|log";
    private static final Pattern FILE_NAME = Pattern.compile("[\\w<>*-]+\\.(" + EXTENSIONS + ")\\b");

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {80, 120})
    void noLineBreaksInsideAWord(int width) {
        List<String> names = new ArrayList<>();
        CommandLine root = Main.commandLine();
        names.add("convlab");
        collect(root, width, names);
    }

    private static void collect(CommandLine cl, int width, List<String> seen) {
        cl.setUsageHelpWidth(width);
        String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        String name = cl.getCommandSpec().qualifiedName();
        assertThat(help).as(name + " at " + width).doesNotContain(String.valueOf(HelpText.HELD_DOT));
        List<String> lines = help.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            String line = lines.get(i).stripTrailing();
            String next = lines.get(i + 1).strip();
            // A line ending in "report." and the next starting with "md": the break split a file name.
            String[] a = line.split("\\s+");
            String[] b = next.split("\\s+");
            boolean split = a[a.length - 1].matches(".*[\\w>*-]\\.") && b[0].matches("(" + EXTENSIONS + ")\\b.*");
            assertThat(split).as("%s at width %d, lines %d-%d: \"%s\" / \"%s\"", name, width, i + 1, i + 2, line, next).isFalse();
        }
        // Every file name in the descriptions appears whole in the help.
        String flat = String.join(" ", descriptions(cl));
        Matcher m = FILE_NAME.matcher(flat);
        while (m.find()) {
            assertThat(help).as("%s at width %d shows %s whole", name, width, m.group()).contains(m.group());
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getParent() == cl && !"help".equals(sub.getCommandName())) {
                collect(sub, width, seen);
            }
        }
    }

    private static List<String> descriptions(CommandLine cl) {
        List<String> d = new ArrayList<>();
        var spec = cl.getCommandSpec();
        for (String s : spec.usageMessage().description()) {
            d.add(s.replace(HelpText.HELD_DOT, '.'));
        }
        spec.options().forEach(o -> {
            for (String s : o.description()) {
                d.add(s.replace(HelpText.HELD_DOT, '.'));
            }
        });
        return d;
    }
}
