package convlab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Work in progress on main: replaced by the real command before it lands. */
@Command(name = "verify", description = "Run case files through the reference and every engine and compare.")
public final class VerifyCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("verify is being written");
    }
}
