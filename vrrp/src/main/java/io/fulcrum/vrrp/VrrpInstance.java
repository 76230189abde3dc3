package io.fulcrum.vrrp;

import io.fulcrum.vrrp.packet.VrrpPacketFlyweight;
import io.fulcrum.vrrp.transport.ReceivedAdvert;
import io.fulcrum.vrrp.transport.VrrpChannel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running VRRP instance: its state, timers, effective priority and the advertisement it sends.
 *
 * <p>Used only on the VRRP thread, except {@link #state()}, {@link #effectivePriority()} and {@link #masterAddress()}
 * which any thread may read.
 * Every state change goes through {@link #transition}, which applies the RFC's actions, logs keepalived's line and
 * fires the notifications.
 */
public final class VrrpInstance {

    static final long NEVER = Long.MAX_VALUE;
    private static final Logger LOG = LoggerFactory.getLogger("io.fulcrum.vrrp.Vrrp");
    private static final long SECOND_NS = 1_000_000_000L;
    private static final long CENTI_NS = 10_000_000L;

    final VrrpInstanceSpec spec;
    final int row;
    final String tag;
    private final VrrpAgent engine;
    VrrpSyncGroup group;
    VrrpInstance nextSameVrid;

    private volatile VrrpState state = VrrpState.INIT;
    private volatile int effectivePriority;
    private int masterAdverCentis;
    long timerDeadline = NEVER;
    long garpDeadline = NEVER;
    private boolean preemptDelayRunning;
    private long preemptDeadline;
    boolean ownFault;

    VrrpChannel channel;
    private final byte[][] vips;
    private final byte[] auth8 = new byte[VrrpPacketFlyweight.AUTH_DATA_LENGTH];
    private final MemorySegment advert;
    private final int advertLength;
    private final VrrpPacketFlyweight out = new VrrpPacketFlyweight();
    private final byte[] masterAddress;
    private boolean haveMaster;
    /** The master's address as published to other threads: its bytes (VRRP thread) and the immutable value. */
    private final byte[] publishedMasterBytes;
    private boolean masterPublished;
    private volatile InetAddress currentMaster;
    private final byte[] mcastGroup4 = {(byte) 224, 0, 0, 18};
    final List<VirtualAddress> owned;

    VrrpInstance(VrrpInstanceSpec spec, int row, VrrpAgent engine) {
        this.spec = spec;
        this.row = row;
        this.engine = engine;
        this.tag = "(" + spec.name() + ")";
        this.effectivePriority = spec.priority();
        this.masterAdverCentis = spec.advertIntervalCentis();
        int addrLen = spec.ipv6() ? 16 : 4;
        this.masterAddress = new byte[addrLen];
        this.publishedMasterBytes = new byte[addrLen];
        this.vips = new byte[spec.virtualAddresses().size()][];
        for (int i = 0; i < vips.length; i++) {
            vips[i] = spec.virtualAddresses().get(i).address().getAddress();
        }
        if (spec.authType() == VrrpPacketFlyweight.AUTH_PASS) {
            byte[] p = spec.authPass().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(p, 0, auth8, 0, Math.min(p.length, auth8.length));
        }
        List<VirtualAddress> all = new ArrayList<>(spec.virtualAddresses());
        all.addAll(spec.excludedAddresses());
        this.owned = List.copyOf(all);
        this.advertLength = VrrpPacketFlyweight.messageLength(spec.version(), addrLen, vips.length);
        this.advert = Arena.ofAuto().allocate(advertLength);
        out.wrap(advert, 0)
                .versionType(spec.version(), VrrpPacketFlyweight.TYPE_ADVERTISEMENT)
                .vrid(spec.vrid())
                .priority(spec.priority())
                .addressCount(vips.length);
        if (spec.version() == 2) {
            out.authType(spec.authType()).adverIntSeconds(spec.advertIntervalCentis() / 100).checksum(0);
        } else {
            out.maxAdverIntCentis(spec.advertIntervalCentis()).checksum(0);
        }
        for (int i = 0; i < vips.length; i++) {
            out.address(i, vips[i]);
        }
        if (spec.version() == 2) {
            out.authData(vips.length, auth8);
        }
    }

    /** The instance name. */
    public String name() {
        return spec.name();
    }

    /** The current state; any thread. */
    public VrrpState state() {
        return state;
    }

    /** The current effective priority (base priority plus tracking weights); any thread. */
    public int effectivePriority() {
        return effectivePriority;
    }

    /**
     * The address of the current master as this instance knows it: while BACKUP, the source address of the last
     * advertisement accepted from the master (RFC 5798 §6.4.2); while MASTER, our own primary address (the source of
     * our advertisements, {@code unicast_src_ip} when set); {@code null} when unknown (INIT, FAULT, STOP, or a BACKUP
     * that has not heard a master yet). Any thread.
     */
    public InetAddress masterAddress() {
        return currentMaster;
    }

    /** The master advertisement interval in use, in centiseconds (learned from the master in v3 BACKUP). */
    public int masterAdverIntervalCentis() {
        return masterAdverCentis;
    }

    /** The configuration of this instance. */
    public VrrpInstanceSpec spec() {
        return spec;
    }

    // ---------------------------------------------------------------- timers

    /** Skew_Time in nanoseconds (RFC 5798 §6.1; RFC 3768 §6.1 for v2: (256 - Priority) / 256 seconds). */
    long skewNanos() {
        int prio = effectivePriority;
        if (spec.version() == 2) {
            return (256L - prio) * SECOND_NS / 256;
        }
        return (256L - prio) * masterAdverCentis * CENTI_NS / 256;
    }

    /** Master_Down_Interval in nanoseconds: 3 x Master_Adver_Interval + Skew_Time (RFC 5798 §6.1). */
    long masterDownNanos() {
        long adver = (spec.version() == 2 ? spec.advertIntervalCentis() : masterAdverCentis) * CENTI_NS;
        return 3 * adver + skewNanos();
    }

    long adverNanos() {
        return spec.advertIntervalCentis() * CENTI_NS;
    }

    /** The earliest deadline of this instance. */
    long nextDeadline() {
        return Math.min(timerDeadline, garpDeadline);
    }

    /** Fires expired timers; returns work done. */
    int onTimers(long now) {
        int work = 0;
        if (now >= timerDeadline) {
            work++;
            if (state == VrrpState.BACKUP) {
                LOG.info("{} Receive advertisement timeout", tag);
                handle(VrrpEvent.MASTER_DOWN_TIMER, now);
            } else if (state == VrrpState.MASTER) {
                handle(VrrpEvent.ADVER_TIMER, now);
            } else {
                timerDeadline = NEVER;
            }
        }
        if (now >= garpDeadline) {
            work++;
            garpDeadline = NEVER;
            if (state == VrrpState.MASTER) {
                announce();
                if (spec.garpMasterRefreshMillis() > 0) {
                    garpDeadline = now + spec.garpMasterRefreshMillis() * 1_000_000L;
                }
            }
        }
        return work;
    }

    // ---------------------------------------------------------------- events

    /** Starts the instance (RFC 5798 §6.4.1 Startup event). */
    void start(long now) {
        recomputeTracking(now, false);
        if (ownFault) {
            handle(VrrpEvent.FAULT, now);
        } else {
            handle(spec.owner() ? VrrpEvent.STARTUP_OWNER : VrrpEvent.STARTUP, now);
        }
    }

    /**
     * Applies {@code event}: the RFC's actions that keep the state, then the change of state (if any) through
     * {@link #transition}.
     */
    void handle(VrrpEvent event, long now) {
        VrrpState from = state;
        VrrpState to = VrrpTransitions.next(from, event);
        if (to == from) {
            switch (event) {
                case ADVER_TIMER -> {
                    if (from == VrrpState.MASTER) {
                        // RFC 5798 §6.4.3: Adver_Timer fires -> send an ADVERTISEMENT, reset the Adver_Timer
                        sendAdvert(effectivePriority);
                        timerDeadline = now + adverNanos();
                    }
                }
                case ADVERT_PRIORITY_ZERO -> {
                    if (from == VrrpState.BACKUP) {
                        // RFC 5798 §6.4.2: priority 0 -> set the Master_Down_Timer to Skew_Time
                        timerDeadline = now + skewNanos();
                    } else if (from == VrrpState.MASTER) {
                        // RFC 5798 §6.4.3: priority 0 -> send an ADVERTISEMENT, reset the Adver_Timer
                        sendAdvert(effectivePriority);
                        timerDeadline = now + adverNanos();
                    }
                }
                case ADVERT_ACCEPTED -> {
                    if (from == VrrpState.BACKUP) {
                        // RFC 5798 §6.4.2: reset the Master_Down_Timer to Master_Down_Interval
                        timerDeadline = now + masterDownNanos();
                    }
                }
                case ADVERT_LOWER -> {
                    if (from == VrrpState.MASTER) {
                        // keepalived: a master hearing a lower priority answers at once to force a new election
                        sendAdvert(effectivePriority);
                        timerDeadline = now + adverNanos();
                    }
                    // RFC 5798 §6.4.2 (Backup, preempt): discard; the Master_Down_Timer keeps running
                }
                case FAULT_CLEARED, FAULT -> {
                }
                default -> {
                }
            }
            return;
        }
        transition(to, event, now);
    }

    /**
     * The one place a state changes: leaves {@code state} (releasing addresses, priority 0 on the way out of MASTER),
     * logs keepalived's line, enters {@code to} (timers, advert, addresses, GARP), counts, notifies and lets the sync
     * group follow.
     */
    void transition(VrrpState to, VrrpEvent cause, long now) {
        VrrpState from = state;
        if (from == VrrpState.MASTER) {
            if (to == VrrpState.STOP || to == VrrpState.FAULT) {
                // RFC 5798 §6.4.3 Shutdown: send an ADVERTISEMENT with Priority 0 for a fast takeover
                sendAdvert(0);
                LOG.info("{} sent 0 priority", tag);
            }
            LOG.info("{} removing VIPs.", tag);
            engine.ownership().release(spec.name(), spec.interfaceName(), owned);
            engine.counters().increment(row, VrrpStat.RELEASE_MASTER);
            garpDeadline = NEVER;
        }
        state = to;
        preemptDelayRunning = false;
        // keepalived's "state MASTER" passes through BACKUP silently: no log line, no notify script, no event
        boolean silent = from == VrrpState.INIT && to == VrrpState.BACKUP && spec.initialMaster();
        switch (to) {
            case MASTER -> {
                if (masterAdverCentis != spec.advertIntervalCentis()) {
                    // a v3 backup learned the old master's interval; as MASTER we advertise our own again
                    LOG.info("{} changing advert interval from {}ms to locally configured {}ms", tag,
                            masterAdverCentis * 10, spec.advertIntervalCentis() * 10);
                    masterAdverCentis = spec.advertIntervalCentis();
                }
                LOG.info("{} Entering MASTER STATE", tag);
                engine.counters().increment(row, VrrpStat.BECOME_MASTER);
                // RFC 5798 §6.4.1/§6.4.2: send an ADVERTISEMENT, announce the addresses, start the Adver_Timer
                sendAdvert(effectivePriority);
                LOG.info("{} setting VIPs.", tag);
                engine.ownership().acquire(spec.name(), spec.interfaceName(), owned);
                announce();
                garpDeadline = spec.garpMasterDelayMillis() > 0
                        ? now + spec.garpMasterDelayMillis() * 1_000_000L
                        : spec.garpMasterRefreshMillis() > 0 ? now + spec.garpMasterRefreshMillis() * 1_000_000L
                        : NEVER;
                timerDeadline = now + adverNanos();
                haveMaster = false;
                publishMaster(channel == null ? null : channel.sourceAddress());
            }
            case BACKUP -> {
                if (cause != VrrpEvent.ADVERT_HIGHER) {
                    // RFC 5798 §6.4.1: Master_Adver_Interval = Advertisement_Interval on entering Backup
                    masterAdverCentis = spec.advertIntervalCentis();
                    // the master is unknown until its first advertisement is accepted
                    publishMaster(null);
                }
                if (silent) {
                    // keepalived's "state MASTER": pass through BACKUP silently with a Master_Down_Timer of 1 us,
                    // so the instance becomes MASTER at once (a higher priority master then takes it back)
                    timerDeadline = now + 1_000;
                } else {
                    LOG.info(from == VrrpState.INIT ? "{} Entering BACKUP STATE (init)" : "{} Entering BACKUP STATE",
                            tag);
                    // RFC 5798 §6.4.1 / §6.4.3: set the Master_Down_Timer to Master_Down_Interval (an address owner
                    // leaving FAULT only waits Skew_Time)
                    timerDeadline = now + (spec.owner() ? skewNanos() : masterDownNanos());
                }
            }
            case FAULT -> {
                LOG.info(from == VrrpState.INIT ? "{} Entering FAULT STATE (init)" : "{} Entering FAULT STATE", tag);
                timerDeadline = NEVER;
                publishMaster(null);
            }
            case STOP -> {
                // keepalived prints no state line on stop: only "sent 0 priority" / "removing VIPs." from MASTER
                LOG.debug("{} Entering STOP STATE", tag);
                timerDeadline = NEVER;
                publishMaster(null);
            }
            case INIT -> {
                timerDeadline = NEVER;
                publishMaster(null);
            }
        }
        if (!silent) {
            engine.notifyInstance(this, to);
        }
        if (group != null) {
            group.follow(this, to, now);
        }
    }

    /** Handles a received packet addressed to this instance's VRID. */
    void onAdvert(ReceivedAdvert r, VrrpPacketFlyweight p, long now) {
        if (!valid(r, p)) {
            return;
        }
        int prio = p.priority();
        byte[] src = r.source();
        VrrpState s = state;
        if (s == VrrpState.BACKUP) {
            if (prio == 0) {
                LOG.info("{} Backup received priority 0 advertisement", tag);
                handle(VrrpEvent.ADVERT_PRIORITY_ZERO, now);
                return;
            }
            int eff = effectivePriority;
            boolean lower = prio < eff;
            boolean accept = !spec.preempt() || !lower;
            if (spec.preempt() && lower && spec.preemptDelayMillis() > 0) {
                if (!preemptDelayRunning) {
                    preemptDelayRunning = true;
                    preemptDeadline = now + spec.preemptDelayMillis() * 1_000_000L;
                    long d = spec.preemptDelayMillis();
                    LOG.info("{} start preempt delay ({}.{})", tag, d / 1000, String.format("%06d", (d % 1000) * 1000));
                    accept = true;
                } else {
                    accept = now < preemptDeadline;
                }
            } else if (preemptDelayRunning && !lower) {
                LOG.info("{} stop preempt delay", tag);
                preemptDelayRunning = false;
            }
            if (accept) {
                if (spec.version() == 3) {
                    // RFC 5798 §6.4.2: Master_Adver_Interval = the ADVERTISEMENT's Max Adver Int
                    int rx = p.maxAdverIntCentis();
                    if (rx != masterAdverCentis && rx > 0) {
                        LOG.info("{} advertisement interval updated from {}ms to {}ms by master", tag,
                                masterAdverCentis * 10, rx * 10);
                        masterAdverCentis = rx;
                    }
                }
                System.arraycopy(src, 0, masterAddress, 0, masterAddress.length);
                haveMaster = true;
                publishMaster(src);
                handle(VrrpEvent.ADVERT_ACCEPTED, now);
            } else {
                LOG.info("{} received lower priority ({}) advert from {} - discarding", tag, prio,
                        Addresses.format(src));
                handle(VrrpEvent.ADVERT_LOWER, now);
            }
        } else if (s == VrrpState.MASTER) {
            if (prio == 0) {
                LOG.info("{} Master received priority 0 message", tag);
                handle(VrrpEvent.ADVERT_PRIORITY_ZERO, now);
                return;
            }
            int eff = effectivePriority;
            int cmp = Addresses.compare(src, channel.sourceAddress());
            if (prio > eff || (prio == eff && cmp > 0)) {
                if (prio > eff) {
                    LOG.info("{} Master received advert from {} with higher priority {}, ours {}", tag,
                            Addresses.format(src), prio, eff);
                } else {
                    LOG.info("{} Master received advert from {} with same priority {} but higher IP address than ours",
                            tag, Addresses.format(src), prio);
                }
                // RFC 5798 §6.4.3: Master_Adver_Interval = the ADVERTISEMENT's interval, then go to Backup
                masterAdverCentis = spec.version() == 3 && p.maxAdverIntCentis() > 0
                        ? p.maxAdverIntCentis() : spec.advertIntervalCentis();
                System.arraycopy(src, 0, masterAddress, 0, masterAddress.length);
                haveMaster = true;
                publishMaster(src);
                handle(VrrpEvent.ADVERT_HIGHER, now);
            } else if (prio == eff && cmp == 0) {
                LOG.info("{} WARNING - equal priority advert received from remote host with our IP address.", tag);
            } else {
                LOG.info("{} Received advert from {} with lower priority {}, ours {}, forcing new election", tag,
                        Addresses.format(src), prio, eff);
                handle(VrrpEvent.ADVERT_LOWER, now);
            }
        }
    }

    /**
     * Checks a received packet as RFC 5798 §7.1 / RFC 3768 §7.1 require, in keepalived's order; a reject is logged
     * in keepalived's words and counted under its statistic name.
     */
    boolean valid(ReceivedAdvert r, VrrpPacketFlyweight p) {
        VrrpCounters c = engine.counters();
        int addrLen = spec.ipv6() ? 16 : 4;
        int count = p.addressCount();
        int expected = VrrpPacketFlyweight.messageLength(p.version() == 2 ? 2 : 3, addrLen, count);
        if (r.length != expected) {
            LOG.info("{} vrrp packet too {}, length {} and expect {}", tag, r.length > expected ? "long" : "short",
                    r.length + r.ipHeaderLength, expected + r.ipHeaderLength);
            c.increment(row, VrrpStat.PACKET_LEN_ERR);
            return false;
        }
        boolean unicast = !spec.unicastPeers().isEmpty();
        // RFC 5798 §7.1: MUST verify that the IPvX TTL / Hop Limit is 255 (keepalived: not for unicast peers)
        if (!unicast && r.ttl != -1 && r.ttl != VrrpPacketFlyweight.VRRP_TTL) {
            LOG.info("{} invalid TTL/HL. Received {} and expect {}", tag, r.ttl, VrrpPacketFlyweight.VRRP_TTL);
            c.increment(row, VrrpStat.IP_TTL_ERR);
            return false;
        }
        // RFC 5798 §7.1: MUST verify the VRRP version
        if (p.version() != spec.version()) {
            LOG.info("{} wrong version. Received {} and expect {}", tag, p.version(), spec.version());
            c.increment(row, VrrpStat.VERSION_ERR);
            return false;
        }
        if (spec.version() == 2) {
            int at = p.authType();
            if (at != VrrpPacketFlyweight.AUTH_NONE && at != VrrpPacketFlyweight.AUTH_PASS
                    && at != VrrpPacketFlyweight.AUTH_AH) {
                LOG.info("{} Invalid auth type: {}", tag, at);
                c.increment(row, VrrpStat.INVALID_AUTHTYPE);
                return false;
            }
            // RFC 3768 §7.1: MUST perform the authentication specified by Auth Type
            if (at != spec.authType()) {
                LOG.info("{} received a {} auth, expecting {}!", tag, at, spec.authType());
                c.increment(row, VrrpStat.AUTHTYPE_MISMATCH);
                return false;
            }
            if (at == VrrpPacketFlyweight.AUTH_PASS && !p.authDataEquals(count, auth8)) {
                LOG.info("{} received an invalid passwd!", tag);
                c.increment(row, VrrpStat.AUTH_FAILURE);
                return false;
            }
            // RFC 3768 §7.1: MUST verify that the Adver Interval matches the local one
            if (p.adverIntSeconds() * 100 != spec.advertIntervalCentis()) {
                LOG.info("{} advertisement interval mismatch mine={} sec rcv'd={} sec", tag,
                        spec.advertIntervalCentis() / 100, p.adverIntSeconds());
                c.increment(row, VrrpStat.ADVERT_INTERVAL_ERR);
                return false;
            }
        }
        // RFC 5798 §7.1: type must be ADVERTISEMENT
        if (p.type() != VrrpPacketFlyweight.TYPE_ADVERTISEMENT) {
            LOG.info("{} Invalid packet type. {} and expect {}", tag, p.type(), VrrpPacketFlyweight.TYPE_ADVERTISEMENT);
            c.increment(row, VrrpStat.INVALID_TYPE_RCVD);
            return false;
        }
        boolean checkVips = !spec.skipCheckAdvAddr() || !haveMaster || !java.util.Arrays.equals(masterAddress,
                r.source());
        if (checkVips && count != vips.length) {
            LOG.info("{} received an unexpected ip number count {}, expected {}!", tag, count, vips.length);
            c.increment(row, VrrpStat.ADDR_LIST_ERR);
            return false;
        }
        if (!r.ipv6 && r.ipTotalLength >= 0 && r.ipTotalLength != r.length + r.ipHeaderLength) {
            LOG.info("{} ip_tot_len mismatch against received length. {} and received {}", tag, r.ipTotalLength,
                    r.length + r.ipHeaderLength);
            c.increment(row, VrrpStat.PACKET_LEN_ERR);
            return false;
        }
        // RFC 5798 §7.1: MUST verify the VRRP checksum (v3 over the pseudo-header, §5.2.8)
        if (!r.checksumVerified) {
            boolean ok;
            if (spec.version() == 2) {
                ok = p.computeV2Checksum(r.length) == p.checksum();
            } else {
                ok = p.computeV3Checksum(r.length, r.source(), r.destination()) == p.checksum();
                if (!ok && unicast && !r.ipv6) {
                    // keepalived's older unicast v3 checksum used the multicast group in the pseudo-header
                    ok = p.computeV3Checksum(r.length, r.source(), mcastGroup4) == p.checksum();
                }
            }
            if (!ok) {
                LOG.info(spec.version() == 2 ? "{} Invalid VRRPv2 checksum" : "{} Invalid VRRPv3 checksum", tag);
                c.increment(row, VrrpStat.CHECKSUM_ERR);
                return false;
            }
        }
        if (r.multicast == unicast) {
            LOG.info("{} Expected {}icast packet but received {}icast packet", tag, unicast ? "un" : "mult",
                    unicast ? "mult" : "un");
            c.increment(row, VrrpStat.ADDR_LIST_ERR);
            return false;
        }
        c.increment(row, VrrpStat.ADVERT_RCVD);
        if (checkVips) {
            // RFC 5798 §7.1: MAY verify that the addresses match; keepalived drops and counts a mismatch
            for (byte[] vip : vips) {
                if (!p.containsAddress(count, vip)) {
                    LOG.info("{} ip address associated with VRID {} not present in MASTER advert : {}", tag,
                            spec.vrid(), Addresses.format(vip));
                    c.increment(row, VrrpStat.ADDR_LIST_ERR);
                    return false;
                }
            }
        }
        if (p.priority() == 0) {
            c.increment(row, VrrpStat.PRI_ZERO_RCVD);
        }
        return true;
    }

    // ---------------------------------------------------------------- tracking

    /**
     * Recomputes the effective priority and the fault flag from the tracked interfaces, scripts and files; logs a
     * priority change and, when {@code act}, enters or leaves FAULT.
     */
    void recomputeTracking(long now, boolean act) {
        boolean fault = !engine.linkUp(spec.interfaceName());
        int sum = 0;
        for (VrrpInstanceSpec.TrackInterface t : spec.trackInterfaces()) {
            boolean up = engine.linkUp(t.name()) ^ t.reverse();
            if (t.weight() == 0) {
                fault |= !up;
            } else if (t.weight() > 0 ? up : !up) {
                sum += t.weight();
            }
        }
        for (VrrpInstanceSpec.TrackScript t : spec.trackScripts()) {
            boolean ok = engine.scriptOk(t.name()) ^ t.reverse();
            int w = t.weight() != null ? t.weight() : engine.scriptWeight(t.name());
            if (w == 0) {
                fault |= !ok;
            } else if (w > 0 ? ok : !ok) {
                sum += w;
            }
        }
        for (VrrpInstanceSpec.TrackFile t : spec.trackFiles()) {
            long v = engine.fileValue(t.path());
            if (t.weight() == 0) {
                fault |= v != 0;
            } else {
                long d = v * t.weight();
                if (d <= -254) {
                    fault = true;
                } else {
                    sum += (int) Math.max(-254, Math.min(254, d));
                }
            }
        }
        int eff = spec.owner() ? VrrpInstanceSpec.PRIORITY_OWNER
                : Math.max(1, Math.min(254, spec.priority() + sum));
        if (eff != effectivePriority) {
            LOG.info("{} Changing effective priority from {} to {}", tag, effectivePriority, eff);
            effectivePriority = eff;
        }
        if (fault != ownFault) {
            ownFault = fault;
            if (act) {
                if (fault) {
                    handle(VrrpEvent.FAULT, now);
                } else if (group == null || !group.anyOwnFault()) {
                    handle(VrrpEvent.FAULT_CLEARED, now);
                }
            }
        }
    }

    /**
     * Publishes the master's address for other threads ({@code null}: unknown). Allocates only when the address
     * changes, so the steady stream of adverts from one master costs a comparison. VRRP thread.
     */
    private void publishMaster(byte[] address) {
        if (address == null) {
            if (masterPublished) {
                masterPublished = false;
                currentMaster = null;
            }
            return;
        }
        if (masterPublished && Arrays.equals(publishedMasterBytes, 0, publishedMasterBytes.length, address, 0,
                publishedMasterBytes.length)) {
            return;
        }
        System.arraycopy(address, 0, publishedMasterBytes, 0, publishedMasterBytes.length);
        masterPublished = true;
        try {
            currentMaster = InetAddress.getByAddress(Arrays.copyOf(address, publishedMasterBytes.length));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of length " + address.length, e); // 4 or 16 bytes: cannot happen
        }
    }

    // ---------------------------------------------------------------- output

    private void sendAdvert(int priority) {
        if (channel == null) {
            return;
        }
        out.wrap(advert, 0).priority(priority);
        if (spec.version() == 2) {
            out.checksum(0).checksum(out.computeV2Checksum(advertLength));
        } else {
            out.checksum(0);
        }
        channel.send(advert, advertLength);
        engine.counters().increment(row, VrrpStat.ADVERT_SENT);
        if (priority == 0) {
            engine.counters().increment(row, VrrpStat.PRI_ZERO_SENT);
        }
    }

    private void announce() {
        if (owned.isEmpty()) {
            return;
        }
        String what = spec.ipv6() ? "unsolicited Neighbour Adverts" : "gratuitous ARPs";
        LOG.info("{} Sending/queueing {} on {} for {}", tag, what, spec.interfaceName(),
                Addresses.format(owned.getFirst().address()));
        engine.ownership().announce(spec.name(), spec.interfaceName(), owned, spec.garpMasterRepeat());
    }
}
