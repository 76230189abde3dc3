package io.fulcrum.healthcheck;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of one virtual server: which real servers are alive with which weight, its quorum, and its sorry
 * server. Turns checker verdicts into keepalived's log lines ({@code Adding service ...}, {@code Lost quorum ...}),
 * notify scripts and {@link RealServerListener} events.
 *
 * <p>Pure logic (no clock, no I/O other than logging and the injected launcher/listener). Thread-safe: checks of one
 * virtual server can run on different event loops, so every method synchronizes on this object; transitions are rare.
 * Follows keepalived 2.x {@code ipwrapper.c}: {@code update_svr_checker_state}, {@code perform_svr_state},
 * {@code update_quorum_state}, {@code update_svr_wgt}.
 */
final class VirtualServerState {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualServerState.class);

    /** One real server's state. */
    static final class RealServer {
        final RealServerCheckSpec spec;
        final String label;
        final boolean[] failed;
        final Boolean[] preset;
        int failedCount;
        boolean alive;
        int weight;

        RealServer(RealServerCheckSpec spec, String label) {
            this.spec = spec;
            this.label = label;
            this.failed = new boolean[spec.checks().size()];
            this.preset = new Boolean[spec.checks().size()];
            this.weight = spec.weight();
        }
    }

    private final VirtualServerCheckSpec spec;
    private final String label;
    private final RealServer[] servers;
    private final RealServerListener listener;
    private final ScriptLauncher scripts;
    private boolean quorumUp;
    private boolean sorryActive;
    private boolean stopped;
    private boolean started;

    VirtualServerState(VirtualServerCheckSpec spec, RealServerListener listener, ScriptLauncher scripts) {
        this.spec = spec;
        this.label = spec.label();
        this.listener = listener;
        this.scripts = scripts;
        this.servers = new RealServer[spec.realServers().size()];
        for (int i = 0; i < servers.length; i++) {
            RealServerCheckSpec rs = spec.realServers().get(i);
            servers[i] = new RealServer(rs, rs.address().trio(spec.protocol()));
        }
    }

    VirtualServerCheckSpec spec() {
        return spec;
    }

    /** keepalived's FMT_RS for real server {@code rs} of this virtual server. */
    String rsLabel(int rs) {
        return servers[rs].label;
    }

    /**
     * Whether checker {@code check} of virtual server {@code vs} runs in {@code alpha} mode (starts failed until its
     * first success): its own (or its real server's) {@code alpha} if set, else the virtual server's. A
     * {@code FILE_CHECK} never does: its state is known from the file at once (keepalived clears alpha for it).
     */
    static boolean alpha(VirtualServerCheckSpec vs, CheckSpec check) {
        if (check instanceof CheckSpec.File) {
            return false;
        }
        Boolean own = check.options().alpha();
        return own != null ? own : vs.alpha();
    }

    /** Before {@link #start()}: checker {@code c} of real server {@code rs} starts failed or not (FILE_CHECK). */
    synchronized void preset(int rs, int c, boolean failed) {
        servers[rs].preset[c] = failed;
    }

    /**
     * Sets the initial state and reports it (keepalived's {@code init_service_rs}): every checker in alpha mode starts
     * failed, a FILE_CHECK starts as its file says, the others start passed; a real server starts alive when none of
     * its checkers is failed, so one without checkers is always alive.
     */
    synchronized void start() {
        for (RealServer rs : servers) {
            for (int c = 0; c < rs.failed.length; c++) {
                boolean failed = rs.preset[c] != null ? rs.preset[c] : alpha(spec, rs.spec.checks().get(c));
                rs.failed[c] = failed;
                if (failed) {
                    rs.failedCount++;
                }
            }
            rs.alive = rs.failedCount == 0;
            listener.onState(spec, rs.spec, rs.alive, rs.alive ? rs.weight : 0);
        }
        started = true;
        long sum = weightSum();
        quorumUp = sum > 0 && sum >= spec.quorum();
        listener.onQuorum(spec, quorumUp);
        if (!quorumUp && spec.sorryServer() != null) {
            sorryActive = true;
            listener.onSorryServer(spec, spec.sorryServer(), true);
        }
    }

    /** A checker of real server {@code rs} reached a verdict (keepalived's {@code update_svr_checker_state}). */
    synchronized void onChecker(int rs, int checker, boolean up) {
        if (stopped) {
            return;
        }
        RealServer s = servers[rs];
        if (up) {
            if (s.failed[checker]) {
                s.failed[checker] = false;
                s.failedCount--;
            }
            if (s.failedCount == 0 && !s.alive) {
                setAlive(s, true);
            }
        } else {
            if (!s.failed[checker]) {
                s.failed[checker] = true;
                s.failedCount++;
            }
            if (s.alive) {
                setAlive(s, false);
            }
        }
    }

    /** A checker asked for a weight (misc_dynamic, FILE_CHECK); keepalived's {@code update_svr_wgt}. */
    synchronized void onWeight(int rs, ProbeResult.WeightChange change) {
        if (stopped) {
            return;
        }
        RealServer s = servers[rs];
        int w = change.apply(s.spec.weight());
        if (w == s.weight) {
            return;
        }
        LOG.info("Changing weight from {} to {} for {}active service {} of VS {}", s.weight, w, s.alive ? "" : "in",
                s.label, label);
        s.weight = w;
        if (s.alive) {
            listener.onState(spec, s.spec, true, w);
        }
        updateQuorum();
    }

    /**
     * Sets a weight without logging it (keepalived adjusts the effective weight silently when a FILE_CHECK enters or
     * leaves its fault state; the add/remove line that follows says what happened). Also before {@link #start()}.
     */
    synchronized void setWeightQuietly(int rs, ProbeResult.WeightChange change) {
        RealServer s = servers[rs];
        int w = change.apply(s.spec.weight());
        if (w == s.weight) {
            return;
        }
        s.weight = w;
        if (s.alive && !stopped && started) {
            listener.onState(spec, s.spec, true, w);
            updateQuorum();
        }
    }

    private void setAlive(RealServer s, boolean alive) {
        boolean inhibit = s.spec.inhibitOnFailure();
        if (alive) {
            LOG.info("{} service {} to VS {}", inhibit ? "Enabling" : "Adding", s.label, label);
        } else {
            LOG.info("{} service {} from VS {}", inhibit ? "Disabling" : "Removing", s.label, label);
        }
        s.alive = alive;
        listener.onState(spec, s.spec, alive, alive ? s.weight : 0);
        String script = alive ? s.spec.notifyUp() : s.spec.notifyDown();
        if (script != null) {
            scripts.launch(script);
        }
        updateQuorum();
    }

    private long weightSum() {
        long sum = 0;
        for (RealServer s : servers) {
            if (s.alive) {
                sum += s.weight;
            }
        }
        return sum;
    }

    private void updateQuorum() {
        long sum = weightSum();
        long upThreshold = (long) spec.quorum() + spec.hysteresis();
        long downThreshold = (long) spec.quorum() - spec.hysteresis();
        if (!quorumUp && sum >= upThreshold && sum > 0) {
            quorumUp = true;
            LOG.info("Gained quorum {}+{}={} <= {} for VS {}", spec.quorum(), spec.hysteresis(), upThreshold, sum,
                    label);
            listener.onQuorum(spec, true);
            if (sorryActive) {
                SorryServerSpec sorry = spec.sorryServer();
                LOG.info("{} sorry server {} from VS {}", sorry.inhibit() ? "Disabling" : "Removing",
                        sorry.address().trio(spec.protocol()), label);
                sorryActive = false;
                listener.onSorryServer(spec, sorry, false);
            }
            if (spec.quorumUp() != null) {
                scripts.launch(spec.quorumUp());
            }
        } else if (quorumUp && (sum == 0 || sum < downThreshold)) {
            quorumUp = false;
            LOG.info("Lost quorum {}-{}={} > {} for VS {}", spec.quorum(), spec.hysteresis(), downThreshold, sum,
                    label);
            listener.onQuorum(spec, false);
            if (spec.quorumDown() != null) {
                scripts.launch(spec.quorumDown());
            }
            SorryServerSpec sorry = spec.sorryServer();
            if (sorry != null) {
                LOG.info("{} sorry server {} to VS {}", sorry.inhibit() ? "Enabling" : "Adding",
                        sorry.address().trio(spec.protocol()), label);
                sorryActive = true;
                listener.onSorryServer(spec, sorry, true);
            }
        }
    }

    /**
     * Shutdown: every alive real server is removed; with {@code omega} its notify_down script runs and, once the
     * quorum is lost, quorum_down runs (keepalived's {@code clear_service_rs}). Later verdicts are ignored.
     */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        for (RealServer s : servers) {
            if (!s.alive) {
                continue;
            }
            LOG.info("Removing service {} from VS {}", s.label, label);
            s.alive = false;
            if (!spec.omega()) {
                continue;
            }
            if (s.spec.notifyDown() != null) {
                scripts.launch(s.spec.notifyDown());
            }
            long sum = weightSum();
            if (quorumUp && (sum == 0 || sum < (long) spec.quorum() - spec.hysteresis())) {
                quorumUp = false;
                if (spec.quorumDown() != null) {
                    scripts.launch(spec.quorumDown());
                }
            }
        }
    }

    synchronized boolean alive(int rs) {
        return servers[rs].alive;
    }

    synchronized int weight(int rs) {
        return servers[rs].weight;
    }

    synchronized boolean quorumUp() {
        return quorumUp;
    }

    synchronized boolean sorryActive() {
        return sorryActive;
    }
}
