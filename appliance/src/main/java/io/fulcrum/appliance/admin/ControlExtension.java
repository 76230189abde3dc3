package io.fulcrum.appliance.admin;

import io.fulcrum.appliance.Appliance;
import io.fulcrum.appliance.ApplianceCommands;
import io.fulcrum.appliance.ApplianceCommands.Result;
import io.fulcrum.appliance.ApplianceContext;
import io.fulcrum.appliance.ApplianceExtension;
import io.fulcrum.appliance.ApplianceView;
import java.nio.file.Path;

/**
 * Plugs the control socket into the daemon ({@link ApplianceExtension}, listed in
 * {@code META-INF/services/io.fulcrum.appliance.ApplianceExtension}): binds {@link ApplianceContext#controlSocket()}
 * and connects {@code fulcrumadm reload} to {@link Appliance#reload()}, {@code fulcrumadm stats-clear} to
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
            public Result writeJsonDump(String json) {
                return runDir == null ? DaemonHooks.super.writeJsonDump(json)
                        : DaemonHooks.writeAtomically(runDir.resolve("keepalived.json"), json);
            }
        };
    }
}
