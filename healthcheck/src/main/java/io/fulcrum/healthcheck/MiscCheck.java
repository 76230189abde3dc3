package io.fulcrum.healthcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * {@code MISC_CHECK}: runs {@code misc_path} with {@code /bin/sh -c}; exit 0 passes, anything else fails; with
 * {@code misc_dynamic} exit 1 fails and 2..255 passes with weight exit-2 (keepalived's {@code check_misc.c}). The
 * process tree is killed at {@code misc_timeout}, which counts as a failure ("timed out").
 *
 * <p>{@link #probe} runs on the check's event-loop thread and returns at once; the script runs on the
 * {@link ScriptRunner}.
 */
final class MiscCheck implements Prober {

    private final CheckSpec.Misc spec;
    private final ScriptRunner runner;
    private final ScheduledExecutorService timer;
    private final List<String> command;
    private final long timeoutMillis;

    MiscCheck(CheckSpec.Misc spec, ScriptRunner runner, ScheduledExecutorService timer, int[] uidGid) {
        this.spec = spec;
        this.runner = runner;
        this.timer = timer;
        List<String> cmd = new ArrayList<>();
        if (uidGid != null) {
            cmd.addAll(List.of("setpriv", "--reuid=" + uidGid[0], "--regid=" + uidGid[1], "--init-groups"));
        }
        cmd.addAll(List.of("/bin/sh", "-c", spec.path()));
        this.command = List.copyOf(cmd);
        this.timeoutMillis = Math.max(1, (spec.timeout() != null ? spec.timeout() : spec.options().delayLoop())
                .toMillis());
    }

    @Override
    public void probe(Consumer<ProbeResult> done) {
        runner.run(command, timeoutMillis, timer, o -> done.accept(result(o)));
    }

    private ProbeResult result(ScriptRunner.Outcome o) {
        if (o.timedOut()) {
            return new ProbeResult(false, "timeout", -1, null, List.of());
        }
        int code = o.exitCode();
        if (code == 0) {
            return new ProbeResult(true, null, 0,
                    new ProbeResult.WeightChange(ProbeResult.WeightChange.Mode.CONFIGURED, 0), List.of());
        }
        if (spec.dynamic() && code >= 2 && code <= 255) {
            return new ProbeResult(true, null, code,
                    new ProbeResult.WeightChange(ProbeResult.WeightChange.Mode.ABSOLUTE, code - 2), List.of());
        }
        return new ProbeResult(false, "exited with status", code, null, List.of());
    }
}
