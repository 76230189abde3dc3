package io.fulcrum.appliance;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The command lines the daemon and its unit actually use ({@code fulcrum -n -f FILE -p FILE ...},
 * {@code fulcrum -t -f FILE ...}), parsed without picocli: picocli is compiled for Java 5, so the JDK's AOT cache cannot
 * hold its classes and parsing through it costs the start about 120 ms of CPU (the split verifier's old path plus
 * reflection). Each option of {@link Fulcrum} except {@code -h} and {@code -v}, each at most once, as {@code -x VALUE},
 * {@code --name VALUE} or {@code --name=VALUE}. Anything else (help, version, an unknown or repeated option, a
 * clustered {@code -nl}, an attached {@code -fFILE}, a value that starts with {@code -}, an argument that is no option)
 * is left to picocli, which gives the same result for what this class accepts and owns every message.
 *
 * <p>Called only on the main thread.
 */
final class FastCommandLine {

    private FastCommandLine() {
    }

    /**
     * Fills {@code f} from {@code args} and returns true, or returns false (with {@code f} possibly half filled: use a
     * fresh instance then) when picocli must handle the line.
     */
    static boolean parse(String[] args, Fulcrum f) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                if (eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
            } else if (!a.startsWith("-") || a.length() != 2) {
                return false;
            }
            String key = canonical(name);
            if (key == null || !seen.add(key)) {
                return false;
            }
            if (takesValue(key)) {
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                        return false;
                    }
                    value = args[++i];
                }
                if (!setValue(f, key, value)) {
                    return false;
                }
            } else {
                if (value != null) {
                    return false;
                }
                setFlag(f, key);
            }
        }
        return true;
    }

    /** The long name of option {@code name}, or null when this class does not handle it. */
    static String canonical(String name) {
        return switch (name) {
            case "-f", "--use-file" -> "--use-file";
            case "-t", "--config-test" -> "--config-test";
            case "-d", "--dump-conf" -> "--dump-conf";
            case "-P", "--vrrp" -> "--vrrp";
            case "-C", "--check" -> "--check";
            case "-l", "--log-console" -> "--log-console";
            case "-D", "--log-detail" -> "--log-detail";
            case "-n", "--dont-fork" -> "--dont-fork";
            case "-p", "--pid" -> "--pid";
            case "-i", "--config-id" -> "--config-id";
            case "--control-socket", "--run-dir", "--tuning" -> name;
            default -> null;
        };
    }

    private static boolean takesValue(String key) {
        return switch (key) {
            case "--use-file", "--pid", "--config-id", "--control-socket", "--run-dir", "--tuning" -> true;
            default -> false;
        };
    }

    private static boolean setValue(Fulcrum f, String key, String value) {
        try {
            switch (key) {
                case "--use-file" -> f.useFile = Path.of(value);
                case "--pid" -> f.pidFile = Path.of(value);
                case "--config-id" -> f.configId = value;
                case "--control-socket" -> f.controlSocket = Path.of(value);
                case "--run-dir" -> f.runDir = Path.of(value);
                case "--tuning" -> f.tuningFile = Path.of(value);
                default -> {
                    return false;
                }
            }
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static void setFlag(Fulcrum f, String key) {
        switch (key) {
            case "--config-test" -> f.configTest = true;
            case "--dump-conf" -> f.dumpConf = true;
            case "--vrrp" -> f.vrrpOnly = true;
            case "--check" -> f.checkOnly = true;
            case "--log-console" -> f.logConsole = true;
            case "--log-detail" -> f.logDetail = true;
            case "--dont-fork" -> f.dontFork = true;
            default -> throw new IllegalArgumentException(key);
        }
    }
}
