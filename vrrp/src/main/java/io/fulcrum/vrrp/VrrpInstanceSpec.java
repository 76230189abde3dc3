package io.fulcrum.vrrp;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code vrrp_instance} block as the configuration asked for it, checked on construction.
 *
 * <p>Immutable; safe from any thread. Build one with {@link #builder(String)}.
 *
 * @param name the instance name ({@code vrrp_instance NAME})
 * @param interfaceName {@code interface}
 * @param vrid {@code virtual_router_id}, 1..255
 * @param version {@code version} (2: RFC 3768, 3: RFC 5798)
 * @param priority {@code priority}, 1..255 (255 = address owner)
 * @param advertIntervalCentis {@code advert_int} in centiseconds (v2: whole seconds)
 * @param initialMaster {@code state MASTER} (a hint: take over quickly at start)
 * @param preempt false for {@code nopreempt}
 * @param preemptDelayMillis {@code preempt_delay}
 * @param authType 0 (none) or 1 ({@code auth_type PASS}, v2 only)
 * @param authPass {@code auth_pass} (first 8 bytes used)
 * @param virtualAddresses {@code virtual_ipaddress} (advertised)
 * @param excludedAddresses {@code virtual_ipaddress_excluded} (owned, not advertised)
 * @param unicastSrcIp {@code unicast_src_ip} or {@code null}
 * @param unicastPeers {@code unicast_peer} (empty: multicast)
 * @param trackInterfaces {@code track_interface}
 * @param trackScripts {@code track_script}
 * @param trackFiles {@code track_file}
 * @param notifyScripts the notify scripts
 * @param garpMasterDelayMillis {@code garp_master_delay} (second burst after becoming MASTER; 0 = none)
 * @param garpMasterRepeat {@code garp_master_repeat} (messages per burst)
 * @param garpMasterRefreshMillis {@code garp_master_refresh} (periodic burst while MASTER; 0 = none)
 * @param skipCheckAdvAddr {@code skip_check_adv_addr}
 */
public record VrrpInstanceSpec(String name, String interfaceName, int vrid, int version, int priority,
                               int advertIntervalCentis, boolean initialMaster, boolean preempt,
                               long preemptDelayMillis, int authType, String authPass,
                               List<VirtualAddress> virtualAddresses, List<VirtualAddress> excludedAddresses,
                               InetAddress unicastSrcIp, List<InetAddress> unicastPeers,
                               List<TrackInterface> trackInterfaces, List<TrackScript> trackScripts,
                               List<TrackFile> trackFiles, NotifySpec notifyScripts, long garpMasterDelayMillis,
                               int garpMasterRepeat, long garpMasterRefreshMillis, boolean skipCheckAdvAddr) {

    /** The address owner's priority (RFC 5798 §6.1). */
    public static final int PRIORITY_OWNER = 255;

    /**
     * A {@code track_interface} entry.
     *
     * @param name the interface
     * @param weight 0: down forces FAULT; &gt;0: up adds it; &lt;0: down subtracts it
     * @param reverse {@code reverse}: treat up as down
     */
    public record TrackInterface(String name, int weight, boolean reverse) {
    }

    /**
     * A {@code track_script} entry.
     *
     * @param name the {@code vrrp_script} name
     * @param weight overrides the script's weight, or {@code null}
     * @param reverse {@code reverse}: weight applies the other way round
     */
    public record TrackScript(String name, Integer weight, boolean reverse) {
    }

    /**
     * A {@code track_file} entry: the file holds an integer multiplied by the weight (weight 0: non-zero = FAULT).
     *
     * @param path the file
     * @param weight the weight (default 1)
     */
    public record TrackFile(Path path, int weight) {
    }

    /** Checks every field; messages name the instance, the keyword and the value. */
    public VrrpInstanceSpec {
        Objects.requireNonNull(name, "name");
        String p = "vrrp_instance " + name + ": ";
        if (interfaceName == null || interfaceName.isBlank()) {
            throw new IllegalArgumentException(p + "interface missing");
        }
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException(p + "virtual_router_id " + vrid + " out of range 1..255");
        }
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException(p + "version " + version + " must be 2 or 3");
        }
        if (priority < 1 || priority > 255) {
            throw new IllegalArgumentException(p + "priority " + priority + " out of range 1..255");
        }
        virtualAddresses = List.copyOf(virtualAddresses);
        excludedAddresses = List.copyOf(excludedAddresses);
        unicastPeers = List.copyOf(unicastPeers);
        trackInterfaces = List.copyOf(trackInterfaces);
        trackScripts = List.copyOf(trackScripts);
        trackFiles = List.copyOf(trackFiles);
        notifyScripts = notifyScripts == null ? NotifySpec.NONE : notifyScripts;
        boolean v6 = !virtualAddresses.isEmpty() && virtualAddresses.getFirst().ipv6();
        for (VirtualAddress va : virtualAddresses) {
            if (va.ipv6() != v6) {
                throw new IllegalArgumentException(p + "virtual_ipaddress " + va + " mixes IPv4 and IPv6");
            }
        }
        if (v6 && version == 2) {
            throw new IllegalArgumentException(p + "cannot use IPv6 with VRRP version 2 (set version 3)");
        }
        int maxAddresses = v6 ? 255 : 255;
        if (virtualAddresses.size() > maxAddresses) {
            throw new IllegalArgumentException(p + virtualAddresses.size() + " virtual_ipaddress entries exceed "
                    + maxAddresses);
        }
        if (version == 2) {
            if (advertIntervalCentis % 100 != 0 || advertIntervalCentis < 100 || advertIntervalCentis > 25500) {
                throw new IllegalArgumentException(p + "advert_int " + advertIntervalCentis / 100.0
                        + " s invalid for VRRPv2: whole seconds 1..255");
            }
        } else if (advertIntervalCentis < 1 || advertIntervalCentis > 4095) {
            throw new IllegalArgumentException(p + "advert_int " + advertIntervalCentis / 100.0
                    + " s invalid for VRRPv3: 0.01..40.95 s in steps of 0.01");
        }
        if (authType != 0 && authType != 1) {
            throw new IllegalArgumentException(p + "auth_type " + authType + " unsupported (PASS only)");
        }
        if (authType == 1) {
            if (version != 2) {
                throw new IllegalArgumentException(p + "auth_type PASS needs VRRP version 2");
            }
            if (authPass == null || authPass.isEmpty()) {
                throw new IllegalArgumentException(p + "auth_type PASS without auth_pass");
            }
        }
        if (preemptDelayMillis < 0 || preemptDelayMillis > 1_000_000) {
            throw new IllegalArgumentException(p + "preempt_delay " + preemptDelayMillis / 1000.0
                    + " s out of range 0..1000");
        }
        for (InetAddress peer : unicastPeers) {
            if ((peer.getAddress().length == 16) != v6 && !virtualAddresses.isEmpty()) {
                throw new IllegalArgumentException(p + "unicast_peer " + peer.getHostAddress()
                        + " does not match the instance's address family");
            }
        }
        if (unicastSrcIp != null && !virtualAddresses.isEmpty() && (unicastSrcIp.getAddress().length == 16) != v6) {
            throw new IllegalArgumentException(p + "unicast_src_ip " + unicastSrcIp.getHostAddress()
                    + " does not match the instance's address family");
        }
        for (TrackInterface t : trackInterfaces) {
            if (t.weight() < -253 || t.weight() > 253) {
                throw new IllegalArgumentException(p + "track_interface " + t.name() + " weight " + t.weight()
                        + " out of range -253..253");
            }
        }
        if (garpMasterRepeat < 1 || garpMasterDelayMillis < 0 || garpMasterRefreshMillis < 0) {
            throw new IllegalArgumentException(p + "garp_master_repeat must be at least 1 and delays non-negative");
        }
    }

    /** Whether the instance carries IPv6 addresses (VRRPv3 over IPv6). */
    public boolean ipv6() {
        if (!virtualAddresses.isEmpty()) {
            return virtualAddresses.getFirst().ipv6();
        }
        if (unicastSrcIp != null) {
            return unicastSrcIp.getAddress().length == 16;
        }
        return false;
    }

    /** Whether this instance is the address owner (priority 255). */
    public boolean owner() {
        return priority == PRIORITY_OWNER;
    }

    /** A builder with keepalived's defaults for instance {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link VrrpInstanceSpec}; not thread-safe (use from one thread). */
    public static final class Builder {
        private final String name;
        private String interfaceName;
        private int vrid;
        private int version = 2;
        private int priority = 100;
        private int advertIntervalCentis = 100;
        private boolean initialMaster;
        private boolean preempt = true;
        private long preemptDelayMillis;
        private int authType;
        private String authPass;
        private final List<VirtualAddress> virtualAddresses = new ArrayList<>();
        private final List<VirtualAddress> excludedAddresses = new ArrayList<>();
        private InetAddress unicastSrcIp;
        private final List<InetAddress> unicastPeers = new ArrayList<>();
        private final List<TrackInterface> trackInterfaces = new ArrayList<>();
        private final List<TrackScript> trackScripts = new ArrayList<>();
        private final List<TrackFile> trackFiles = new ArrayList<>();
        private NotifySpec notifyScripts = NotifySpec.NONE;
        private long garpMasterDelayMillis = 5000;
        private int garpMasterRepeat = 5;
        private long garpMasterRefreshMillis;
        private boolean skipCheckAdvAddr;

        private Builder(String name) {
            this.name = name;
        }

        /** {@code interface}. */
        public Builder interfaceName(String v) {
            interfaceName = v;
            return this;
        }

        /** {@code virtual_router_id}. */
        public Builder vrid(int v) {
            vrid = v;
            return this;
        }

        /** {@code version}. */
        public Builder version(int v) {
            version = v;
            return this;
        }

        /** {@code priority}. */
        public Builder priority(int v) {
            priority = v;
            return this;
        }

        /** {@code advert_int} in centiseconds. */
        public Builder advertIntervalCentis(int v) {
            advertIntervalCentis = v;
            return this;
        }

        /** {@code state MASTER}. */
        public Builder initialMaster(boolean v) {
            initialMaster = v;
            return this;
        }

        /** {@code nopreempt} when false. */
        public Builder preempt(boolean v) {
            preempt = v;
            return this;
        }

        /** {@code preempt_delay} in milliseconds. */
        public Builder preemptDelayMillis(long v) {
            preemptDelayMillis = v;
            return this;
        }

        /** {@code auth_type PASS} with {@code auth_pass}. */
        public Builder authPass(String pass) {
            authType = 1;
            authPass = pass;
            return this;
        }

        /** Adds {@code virtual_ipaddress} entries ("10.0.0.100/24"). */
        public Builder vip(String... v) {
            for (String s : v) {
                virtualAddresses.add(VirtualAddress.parse(s));
            }
            return this;
        }

        /** Adds a {@code virtual_ipaddress} entry. */
        public Builder vip(VirtualAddress v) {
            virtualAddresses.add(v);
            return this;
        }

        /** Adds {@code virtual_ipaddress_excluded} entries. */
        public Builder excludedVip(String... v) {
            for (String s : v) {
                excludedAddresses.add(VirtualAddress.parse(s));
            }
            return this;
        }

        /** {@code unicast_src_ip}. */
        public Builder unicastSrcIp(String v) {
            unicastSrcIp = v == null ? null : Addresses.parseLiteral(v);
            return this;
        }

        /** Adds {@code unicast_peer} entries. */
        public Builder unicastPeer(String... v) {
            for (String s : v) {
                unicastPeers.add(Addresses.parseLiteral(s));
            }
            return this;
        }

        /** Adds a {@code track_interface} entry. */
        public Builder trackInterface(String ifName, int weight, boolean reverse) {
            trackInterfaces.add(new TrackInterface(ifName, weight, reverse));
            return this;
        }

        /** Adds a {@code track_script} entry. */
        public Builder trackScript(String script, Integer weight, boolean reverse) {
            trackScripts.add(new TrackScript(script, weight, reverse));
            return this;
        }

        /** Adds a {@code track_file} entry. */
        public Builder trackFile(Path path, int weight) {
            trackFiles.add(new TrackFile(path, weight));
            return this;
        }

        /** The notify scripts. */
        public Builder notify(NotifySpec v) {
            notifyScripts = v;
            return this;
        }

        /** {@code garp_master_delay}, {@code garp_master_repeat}, {@code garp_master_refresh}. */
        public Builder garp(long delayMillis, int repeat, long refreshMillis) {
            garpMasterDelayMillis = delayMillis;
            garpMasterRepeat = repeat;
            garpMasterRefreshMillis = refreshMillis;
            return this;
        }

        /** {@code skip_check_adv_addr}. */
        public Builder skipCheckAdvAddr(boolean v) {
            skipCheckAdvAddr = v;
            return this;
        }

        /** Builds and checks the spec. */
        public VrrpInstanceSpec build() {
            return new VrrpInstanceSpec(name, interfaceName, vrid, version, priority, advertIntervalCentis,
                    initialMaster, preempt, preemptDelayMillis, authType, authPass, virtualAddresses,
                    excludedAddresses, unicastSrcIp, unicastPeers, trackInterfaces, trackScripts, trackFiles,
                    notifyScripts, garpMasterDelayMillis, garpMasterRepeat, garpMasterRefreshMillis, skipCheckAdvAddr);
        }
    }
}
