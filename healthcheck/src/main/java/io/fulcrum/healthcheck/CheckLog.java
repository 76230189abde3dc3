package io.fulcrum.healthcheck;

import java.util.ArrayList;
import java.util.List;

/**
 * keepalived 2.x's log wording for each checker's attempts and verdicts.
 *
 * <p>Stateless; safe from any thread. The wording comes from keepalived's {@code check_tcp.c}, {@code check_http.c},
 * {@code check_smtp.c}, {@code check_udp.c}, {@code check_dns.c} and {@code check_misc.c}; {@code chk} is keepalived's
 * {@code FMT_CHK} (the real server as {@code [ip]:proto:port}) and {@code vs} its {@code FMT_VS}.
 */
final class CheckLog {

    private CheckLog() {
    }

    /**
     * The lines for one attempt's outcome.
     *
     * @param spec    the checker
     * @param v       the verdict the state machine reached
     * @param r       the attempt's result
     * @param wasUp   whether the checker was up before this attempt
     * @param hadRun  whether an attempt had completed before this one
     * @param chk     the real server label
     * @param vs      the virtual server label
     */
    static List<String> lines(CheckSpec spec, CheckerStateMachine.Verdict v, ProbeResult r, boolean wasUp,
                              boolean hadRun, String chk, String vs) {
        List<String> out = new ArrayList<>(2);
        int retry = spec.options().retry();
        boolean logAll = spec.options().logAllFailures();
        boolean failing = v == CheckerStateMachine.Verdict.RETRY || v == CheckerStateMachine.Verdict.DOWN;
        boolean down = v == CheckerStateMachine.Verdict.DOWN;
        boolean success = v == CheckerStateMachine.Verdict.UP;
        switch (spec) {
            case CheckSpec.Tcp _ -> {
                if (success) {
                    out.add("TCP connection to " + chk + " success.");
                } else if (failing) {
                    if (logAll && wasUp) {
                        out.add("TCP connection to " + chk + " " + r.detail() + ".");
                    }
                    if (down) {
                        out.add(retry > 0 ? "TCP_CHECK on service " + chk + " failed after " + retry + " retries."
                                : "TCP_CHECK on service " + chk + " failed.");
                    }
                }
            }
            case CheckSpec.Udp _ -> {
                if (success) {
                    out.add("UDP connection to " + chk + " success.");
                } else if (failing) {
                    if (logAll && wasUp) {
                        out.add("mismatch".equals(r.detail()) ? "UDP check to " + chk + " reply data mismatch."
                                : "UDP connection to " + chk + " failed.");
                    }
                    if (down) {
                        out.add(retry > 0 ? "UDP_CHECK on service " + chk + " failed after " + retry + " retries."
                                : "UDP_CHECK on service " + chk + " failed.");
                    }
                }
            }
            case CheckSpec.Http _ -> {
                // check_http.c: each url that passes while the checker is down is logged, then the whole
                // checker once every url passed; a failure is logged (log_all_failures) while up or before the
                // first run completed, and the verdict when the retries are used up
                if (r.ok()) {
                    if (!wasUp) {
                        for (int i = 0; i + 1 < r.notes().size(); i += 2) {
                            out.add(r.notes().get(i) + " success to " + chk + " url(" + r.notes().get(i + 1) + ")");
                        }
                    }
                    if (success) {
                        out.add("Remote Web server " + chk + " succeed on service.");
                    }
                } else {
                    if (logAll && (wasUp || !hadRun)) {
                        out.add(r.detail() + " server " + chk + ".");
                    }
                    if (down) {
                        // keepalived's timeout_epilog marks has_run before its epilog logs, so the first run
                        // also says "after N retries"
                        out.add(retry > 0
                                ? "HTTP_CHECK on service " + chk + " failed after " + retry + " retries."
                                : "HTTP_CHECK on service " + chk + " failed.");
                    }
                }
            }
            case CheckSpec.Smtp _ -> {
                if (success) {
                    out.add("Remote SMTP server " + chk + " succeed on service.");
                } else if (failing && (logAll || down)) {
                    out.add("SMTP_CHECK " + r.detail());
                }
            }
            case CheckSpec.Dns _ -> {
                if (failing && (logAll || down)) {
                    out.add("DNS_CHECK (" + chk + ") " + r.detail()
                            + (down && hadRun && retry > 0 ? " after " + retry + " retries" : ""));
                }
            }
            case CheckSpec.Misc m -> {
                String head = "Misc check for [" + chk + " VS " + vs + "] by [" + m.program() + "] ";
                if (success) {
                    out.add(head + "succeeded.");
                } else if (down || (failing && logAll)) {
                    String type = "timeout".equals(r.detail()) ? "timed out" : "failed";
                    String after = down && retry > 0 ? " after " + retry + " retries" : "";
                    out.add("timeout".equals(r.detail()) ? head + type + after + "."
                            : head + type + after + " (" + r.detail() + " " + r.code() + ").");
                }
            }
            case CheckSpec.Ping _ -> {
                if (success) {
                    out.add("ICMP connection to " + chk + " success.");
                } else if (failing) {
                    if (logAll && wasUp) {
                        out.add(r.detail() != null && r.detail().startsWith("address ")
                                ? "ICMP connection to " + r.detail() + "."
                                : "ICMP connection to " + chk + " of " + vs + " failed.");
                    }
                    if (down) {
                        out.add(hadRun && retry > 0
                                ? "ICMP CHECK on service " + chk + " of " + vs + " failed after " + retry + " retries."
                                : "ICMP CHECK on service " + chk + " failed.");
                    }
                }
            }
            case CheckSpec.File _ -> {
                // keepalived's track_file checker logs only the resulting service and weight changes
            }
        }
        return out;
    }
}
