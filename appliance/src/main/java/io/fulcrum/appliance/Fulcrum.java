package io.fulcrum.appliance;

import io.fulcrum.appliance.config.ConfigJson;
import io.fulcrum.appliance.config.ConfigLoader;
import io.fulcrum.appliance.config.Diagnostic;
import io.fulcrum.appliance.config.LoadResult;
import io.fulcrum.appliance.demo.Demo;
import io.fulcrum.appliance.json.Json;
import io.fulcrum.appliance.tuning.TuningLoader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code fulcrum} daemon entry point, with keepalived's command-line flags: {@code -f} the configuration,
 * {@code -t} check it, {@code -d} dump it (as JSON with {@code -t}), {@code -P} / {@code -C} run one subsystem,
 * {@code -l} / {@code -D} logging, {@code -n}, {@code -p}, {@code -i}, plus {@code --tuning FILE}. {@code fulcrum demo}
 * hands over to {@link Demo}. The running modes are dispatched by {@link Modes}.
 *
 * <p>Called once on the main thread.
 */
@Command(name = "fulcrum", mixinStandardHelpOptions = false, sortOptions = false,
        description = "High-availability layer-4 load balancer: VRRP, health checks and a kernel-bypass dataplane "
                + "configured by keepalived.conf.",
        footer = {"", "fulcrum demo   runs the two-node demonstration (see README)."})
public final class Fulcrum implements Callable<Integer> {

    /** Exit code of {@code -t} when the configuration or the tuning has errors. */
    public static final int EXIT_CONFIG_ERROR = 1;
    /** Exit code for a bad command line. */
    public static final int EXIT_USAGE = 64;

    @Option(names = {"-f", "--use-file"}, paramLabel = "FILE", description = "Use the specified configuration file (default: ${DEFAULT-VALUE}).")
    Path useFile = Path.of("/etc/fulcrum/fulcrum.conf");

    @Option(names = {"-t", "--config-test"}, description = "Check the configuration for errors and exit (0: valid).")
    boolean configTest;

    @Option(names = {"-d", "--dump-conf"}, description = "Dump the configuration (with -t: as JSON on stdout).")
    boolean dumpConf;

    @Option(names = {"-P", "--vrrp"}, description = "Only run the VRRP subsystem.")
    boolean vrrpOnly;

    @Option(names = {"-C", "--check"}, description = "Only run the health-checker subsystem.")
    boolean checkOnly;

    @Option(names = {"-l", "--log-console"}, description = "Log messages to the console, with timestamps.")
    boolean logConsole;

    @Option(names = {"-D", "--log-detail"}, description = "Detailed log messages (thread, logger, debug level).")
    boolean logDetail;

    @Option(names = {"-n", "--dont-fork"}, description = "Do not fork the daemon process (Fulcrum never forks; accepted for keepalived compatibility).")
    boolean dontFork;

    @Option(names = {"-p", "--pid"}, paramLabel = "FILE", description = "Use the specified pid file.")
    Path pidFile;

    @Option(names = {"-i", "--config-id"}, paramLabel = "ID", description = "Use ID for @ID conditional configuration lines (default: the short host name).")
    String configId;

    @Option(names = {"--control-socket"}, paramLabel = "PATH", description = "Unix socket of the admin tool (default: the tuning's control.socket).")
    Path controlSocket;

    @Option(names = {"--run-dir"}, paramLabel = "DIR", description = "Directory of the SIGUSR1/SIGUSR2 dumps keepalived.data and keepalived.stats (default: /tmp).")
    Path runDir;

    @Option(names = {"--tuning"}, paramLabel = "FILE", description = "HOCON file overriding the runtime tuning defaults (reference.conf).")
    Path tuningFile;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Display the version and exit.")
    boolean version;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Display this help and exit.")
    boolean help;

    private PrintWriter out;
    private PrintWriter err;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        StartupWarmup.begin(args);
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** Runs the command line, writing to {@code out} and {@code err}; returns the exit status. Never throws for bad input. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length > 0 && args[0].equals("demo")) {
            return Demo.run(Arrays.copyOfRange(args, 1, args.length));
        }
        Fulcrum fast = new Fulcrum();
        if (FastCommandLine.parse(args, fast)) {
            // the daemon's usual command lines, without loading picocli (see FastCommandLine)
            fast.out = out;
            fast.err = err;
            int code;
            try {
                code = fast.call();
            } catch (RuntimeException e) {
                err.println("fulcrum: internal error: " + e);
                code = 70;
            }
            out.flush();
            err.flush();
            return code;
        }
        Fulcrum command = new Fulcrum();
        command.out = out;
        command.err = err;
        CommandLine cl = new CommandLine(command);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, badArgs) -> {
            err.println("fulcrum: " + ex.getMessage());
            err.println("Try 'fulcrum --help' for the options.");
            return EXIT_USAGE;
        });
        cl.getCommandSpec().version(versionLine());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            err.println("fulcrum: internal error: " + e);
            return 70;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The version line printed by {@code -v}. */
    public static String versionLine() {
        String v = Fulcrum.class.getPackage().getImplementationVersion();
        return "Fulcrum " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (keepalived.conf compatible; Java " + Runtime.version() + ")";
    }

    @Override
    public Integer call() {
        if (!configTest) {
            LogSetup.configure(logConsole, logDetail);
            StartupWarmup.afterLogging(!vrrpOnly);
        }
        TuningLoader.Result tuning = TuningLoader.load(tuningFile);
        for (String e : tuning.errors()) {
            err.println(e);
        }
        LoadResult result;
        try {
            result = ConfigLoader.load(useFile, configId);
        } catch (OutOfMemoryError e) {
            err.println("fulcrum: out of memory while loading " + useFile
                    + "; give the JVM more heap, e.g. FULCRUM_JAVA_OPTS=-Xmx1g");
            return EXIT_CONFIG_ERROR;
        }
        for (Diagnostic d : result.diagnostics()) {
            err.println(d);
        }
        boolean ok = result.ok() && tuning.ok();
        if (configTest) {
            if (ok && dumpConf) {
                out.println(Json.write(ConfigJson.of(result.config())));
            }
            if (!ok) {
                int n = result.errors().size() + tuning.errors().size();
                err.println("fulcrum: configuration " + useFile + " is invalid: " + n + (n == 1 ? " error" : " errors"));
            }
            return ok ? 0 : EXIT_CONFIG_ERROR;
        }
        if (!ok) {
            err.println("fulcrum: not starting: the configuration has errors");
            return EXIT_CONFIG_ERROR;
        }
        if (dumpConf) {
            out.println(Json.write(ConfigJson.of(result.config())));
        }
        return Modes.run(new Modes.LaunchRequest(vrrpOnly, checkOnly, dontFork, pidFile, useFile, configId,
                logConsole, logDetail, result.config(), tuning.tuning(), controlSocket, runDir), err);
    }
}
