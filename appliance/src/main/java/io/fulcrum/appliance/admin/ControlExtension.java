package io.fulcrum.appliance.admin;

import io.fulcrum.appliance.Appliance;
import io.fulcrum.appliance.ApplianceCommands;
import io.fulcrum.appliance.ApplianceCommands.Result;
import io.fulcrum.appliance.ApplianceContext;
import io.fulcrum.appliance.ApplianceExtension;
import io.fulcrum.appliance.ApplianceView;
import io.fulcrum.appliance.admin.IpvsText.ConnectionEntry;
import io.fulcrum.dataplane.conn.ConnectionInfo;
import io.fulcrum.dataplane.conn.ConnectionListing;
import io.fulcrum.dataplane.service.ForwardingMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Plugs the control socket into the daemon ({@link ApplianceExtension}, listed in
 * {@code META-INF/services/io.fulcrum.appliance.ApplianceExtension}): binds {@link ApplianceContext#controlSocket()}
 * and connects {@code fulcrumadm reload} to {@link Appliance#reload()}, {@code fulcrumadm -L -n -c} to
 * {@link Appliance#listConnections(int, long)}, {@code fulcrumadm stats-clear} to
 * {@link Appliance#clearVrrpStats(String)} and {@code fulcrumadm json} to {@code keepalived.json} in the daemon's dump
 * directory.
 *
 * <p>{@link #start} is called once on the daemon's main thread.
 */
public final class ControlExtension implements ApplianceExtension {

    /** Created by {@link java.util.ServiceLoader}. */
    public ControlExtension() {
    }

    @Override
    public AutoCloseable start(ApplianceContext context, ApplianceView view, ApplianceCommands commands)
            throws Exception {
        return ControlServer.start(context.controlSocket(), view, commands, hooks(context, view));
    }

    /** At most this many connections are listed by {@code -c}. */
    static final int CONNECTION_LIMIT = 100_000;
    /** The workers have this long to copy their connections out for {@code -c}. */
    static final long CONNECTION_TIMEOUT_MS = 5_000;

    /** The daemon's connections for {@code -c}, with a note when capped or when a worker did not answer. */
    static DaemonHooks.ConnectionList connections(Appliance appliance) {
        ConnectionListing l;
        try {
            l = appliance.listConnections(CONNECTION_LIMIT, CONNECTION_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DaemonHooks.ConnectionList(List.of(), "connection listing interrupted");
        }
        if (l == null) {
            return null; // no dataplane: "not available"
        }
        return toList(l);
    }

    /** Converts a dataplane listing to the admin's entries and note. */
    static DaemonHooks.ConnectionList toList(ConnectionListing l) {
        List<ConnectionEntry> entries = new ArrayList<>(l.entries().size());
        for (ConnectionInfo c : l.entries()) {
            boolean fnat = c.method() == ForwardingMethod.FNAT;
            entries.add(new ConnectionEntry(c.protocol(), c.client(), c.clientPort(), c.virtualAddress(),
                    c.virtualPort(), c.destination(), c.destinationPort(), c.state().name(),
                    c.expiresInMs() / 1000, fnat ? c.localAddress() : null, fnat ? c.localPort() : 0));
        }
        StringBuilder note = new StringBuilder();
        if (l.capped()) {
            note.append("listing capped: ").append(l.entries().size()).append(" of ").append(l.seen())
                    .append(" connections shown (limit ").append(l.limit()).append(')');
        }
        if (!l.unanswered().isEmpty()) {
            if (!note.isEmpty()) {
                note.append("; ");
            }
            note.append("incomplete: dataplane worker").append(l.unanswered().size() > 1 ? "s " : " ")
                    .append(l.unanswered().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                    .append(" did not answer within ").append(CONNECTION_TIMEOUT_MS).append(" ms");
        }
        return new DaemonHooks.ConnectionList(entries, note.isEmpty() ? null : note.toString());
    }

    /** The hooks the daemon offers: reload, stats-clear and the JSON dump file. */
    static DaemonHooks hooks(ApplianceContext context, ApplianceView view) {
        Path runDir = context.runDir();
        Appliance appliance = view instanceof Appliance a ? a : null;
        return new DaemonHooks() {
            @Override
            public Result reload() {
                if (appliance == null) {
                    return DaemonHooks.super.reload();
                }
                Appliance.ReloadResult r = appliance.reload();
                if (r.applied()) {
                    return Result.ok("reloaded " + context.configFile()
                            + (r.summary() == null || r.summary().isEmpty() ? "" : ": " + r.summary()));
                }
                StringBuilder sb = new StringBuilder("reload rejected: " + context.configFile()
                        + " has errors; the running configuration stays");
                for (String e : r.errors()) {
                    sb.append('\n').append(e);
                }
                return Result.error(sb.toString());
            }

            @Override
            public Result clearStats() {
                return appliance == null ? DaemonHooks.super.clearStats() : appliance.clearVrrpStats(null);
            }

            @Override
            public ConnectionList connectionList() {
                return appliance == null ? DaemonHooks.super.connectionList() : ControlExtension.connections(appliance);
            }

            @Override
            public Result writeJsonDump(String json) {
                return runDir == null ? DaemonHooks.super.writeJsonDump(json)
                        : DaemonHooks.writeAtomically(runDir.resolve("keepalived.json"), json);
            }
        };
    }
}
