package io.fulcrum.appliance;

import io.fulcrum.appliance.admin.FulcrumAdm;
import io.fulcrum.testkit.NetnsLab;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test support for kernel tests that run the real daemon ({@code io.fulcrum.appliance.Fulcrum -f}) as a child
 * process in a {@link NetnsLab} namespace and drive it with {@code fulcrumadm} over its control socket.
 *
 * <p>JUnit thread only (or any thread: it holds no state).
 */
public final class DaemonTestSupport {

    private DaemonTestSupport() {
    }

    /** One {@code fulcrumadm} run: its exit status, standard output and standard error. */
    public record Run(int exit, String out, String err) {
    }

    /** Runs {@code fulcrumadm --control-socket SOCKET ARGS...} in this JVM (the socket is a path, no namespace). */
    public static Run adm(Path socket, String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "--control-socket";
        full[1] = socket.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FulcrumAdm.run(full, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Starts {@code fulcrum -l -n -f CONF --control-socket SOCKET -p WORKDIR/fulcrum.pid [EXTRA...]} in {@code ns}
     * on this JVM's java and class path; the lab kills it on close.
     */
    public static NetnsLab.Spawned startDaemon(NetnsLab lab, String ns, Path conf, Path socket, String... extra) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.fulcrum.appliance.Fulcrum",
                "-l", "-n", "-f", conf.toString(), "--control-socket", socket.toString(),
                "-p", lab.workDir().resolve("fulcrum.pid").toString()));
        cmd.addAll(List.of(extra));
        return lab.spawn(ns, cmd.toArray(String[]::new));
    }

    /**
     * The namespaces of a one-LB lab: {@code client} (eth0 10.C.0.2) — {@code lb} (c0 10.C.0.1, r0 10.S.0.1) —
     * {@code rs} (eth0 10.S.0.2), where C and S are {@code clientNet} and {@code serverNet}; the client and the real
     * server route through the lb.
     */
    public record Topology(String lb, String client, String rs) {
    }

    /** Builds the {@link Topology} in {@code lab}. */
    public static Topology topology(NetnsLab lab, int clientNet, int serverNet) {
        Topology t = new Topology(lab.ns("lb"), lab.ns("client"), lab.ns("rs"));
        String c = "10." + clientNet + ".0.";
        String r = "10." + serverNet + ".0.";
        lab.veth(t.lb(), "c0", t.client(), "eth0");
        lab.veth(t.lb(), "r0", t.rs(), "eth0");
        lab.addr(t.lb(), "c0", c + "1/24");
        lab.addr(t.lb(), "r0", r + "1/24");
        lab.addr(t.client(), "eth0", c + "2/24");
        lab.addr(t.rs(), "eth0", r + "2/24");
        lab.exec(t.client(), "ip", "route", "add", "default", "via", c + "1").orThrow();
        lab.exec(t.rs(), "ip", "route", "add", "default", "via", r + "1").orThrow();
        return t;
    }
}
