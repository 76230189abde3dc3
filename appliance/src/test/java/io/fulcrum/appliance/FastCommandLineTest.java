package io.fulcrum.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The picocli-free parser gives picocli's result for every line it accepts, and leaves everything else to it. */
class FastCommandLineTest {

    private static List<Object> fields(Fulcrum f) {
        return Arrays.asList(f.useFile, f.configTest, f.dumpConf, f.vrrpOnly, f.checkOnly, f.logConsole, f.logDetail,
                f.dontFork, f.pidFile, f.configId, f.controlSocket, f.runDir, f.tuningFile);
    }

    @Test
    void acceptedLinesParseAsPicocliParsesThem() {
        List<String[]> lines = List.of(
                new String[0],
                new String[] {"-n", "-f", "/etc/fulcrum/fulcrum.conf", "--tuning", "/etc/fulcrum/tuning.conf"},
                new String[] {"--dont-fork", "--use-file=/x.conf", "--pid=/run/f.pid", "--config-id=lb1"},
                new String[] {"-t", "-f", "/etc/fulcrum/fulcrum.conf", "--tuning", "/etc/fulcrum/tuning.conf", "-i",
                        "lb2"},
                new String[] {"-l", "-D", "-P", "-p", "/tmp/p", "--control-socket", "/tmp/s", "--run-dir", "/tmp"},
                new String[] {"-C", "-d", "--log-console", "--log-detail", "--config-test"},
                new String[] {"--vrrp", "--dump-conf", "-f", ""});
        for (String[] args : lines) {
            Fulcrum fast = new Fulcrum();
            assertTrue(FastCommandLine.parse(args, fast), String.join(" ", args));
            Fulcrum slow = new Fulcrum();
            new CommandLine(slow).parseArgs(args);
            assertEquals(fields(slow), fields(fast), String.join(" ", args));
        }
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        List<String[]> lines = List.of(
                new String[] {"-h"}, new String[] {"--help"}, new String[] {"-v"}, new String[] {"--version"},
                new String[] {"--no-such-flag"}, new String[] {"-x"}, new String[] {"-nl"},
                new String[] {"-f/attached.conf"}, new String[] {"-f"}, new String[] {"-f", "-n"},
                new String[] {"-n", "-n"}, new String[] {"-f", "a", "--use-file", "b"}, new String[] {"stray"},
                new String[] {"--dont-fork=true"}, new String[] {"-"}, new String[] {"-f", "a\0b"});
        for (String[] args : lines) {
            assertFalse(FastCommandLine.parse(args, new Fulcrum()), String.join(" ", args));
        }
    }

    @Test
    void everyOptionOfTheCommandIsKnownOrDeliberatelyLeftToPicocli() {
        // an option added to Fulcrum later must be added here or to the parser, never silently mis-parsed
        CommandLine cl = new CommandLine(new Fulcrum());
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            String longName = o.longestName();
            if (longName.equals("--help") || longName.equals("--version")) {
                assertEquals(null, FastCommandLine.canonical(longName));
                continue;
            }
            for (String n : o.names()) {
                assertEquals(longName, FastCommandLine.canonical(n), n);
            }
        }
    }
}
