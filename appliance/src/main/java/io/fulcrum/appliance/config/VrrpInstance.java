package io.fulcrum.appliance.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code vrrp_instance} block: one virtual router on one interface (RFC 5798 / RFC 3768). Nullable fields are null
 * when not configured; the rest carry keepalived's defaults.
 *
 * <p>Immutable; any thread.
 *
 * @param name the instance name ({@code VI_1})
 * @param origin where the block starts
 * @param state {@code state} MASTER or BACKUP (default BACKUP)
 * @param interfaceName {@code interface}
 * @param virtualRouterId {@code virtual_router_id} 1..255
 * @param priority {@code priority} 1..255 (default 100)
 * @param advertInt {@code advert_int} (default 1 s; centisecond resolution with VRRPv3)
 * @param version {@code version}, or the global {@code vrrp_version}
 * @param nopreempt {@code nopreempt}
 * @param preemptDelay {@code preempt_delay} (zero when not set)
 * @param authentication {@code authentication} block or null
 * @param unicastSrcIp {@code unicast_src_ip} or null
 * @param unicastPeer {@code unicast_peer} addresses
 * @param trackInterface {@code track_interface} entries
 * @param trackScript {@code track_script} entries
 * @param trackFile {@code track_file} entries
 * @param virtualIpaddress {@code virtual_ipaddress} entries
 * @param virtualIpaddressExcluded {@code virtual_ipaddress_excluded} entries
 * @param virtualRoutes {@code virtual_routes} entries
 * @param garpMasterDelay {@code garp_master_delay} or null (global value applies)
 * @param garpMasterRepeat {@code garp_master_repeat} or null
 * @param garpMasterRefresh {@code garp_master_refresh} or null
 * @param garpMasterRefreshRepeat {@code garp_master_refresh_repeat} or null
 * @param notifyScripts the notify scripts, keyword ({@code notify_master}, {@code notify_backup}, {@code notify_fault},
 *               {@code notify_stop}, {@code notify}, ...) to command line
 * @param smtpAlert {@code smtp_alert}
 * @param dontTrackPrimary {@code dont_track_primary}
 * @param useVmac {@code use_vmac} interface name ("" for the default name) or null
 * @param acceptMode {@code accept} (true) or {@code no_accept} (false); null when neither was given
 * @param family the family of the virtual addresses (IPv4 unless the first one is IPv6)
 */
public record VrrpInstance(
        String name,
        Origin origin,
        String state,
        String interfaceName,
        int virtualRouterId,
        int priority,
        Duration advertInt,
        int version,
        boolean nopreempt,
        Duration preemptDelay,
        Authentication authentication,
        InetAddress unicastSrcIp,
        List<InetAddress> unicastPeer,
        List<TrackInterface> trackInterface,
        List<TrackRef> trackScript,
        List<TrackRef> trackFile,
        List<VirtualIp> virtualIpaddress,
        List<VirtualIp> virtualIpaddressExcluded,
        List<VirtualRoute> virtualRoutes,
        Duration garpMasterDelay,
        Integer garpMasterRepeat,
        Duration garpMasterRefresh,
        Integer garpMasterRefreshRepeat,
        Map<String, String> notifyScripts,
        boolean smtpAlert,
        boolean dontTrackPrimary,
        String useVmac,
        Boolean acceptMode,
        Family family) {

    /** Copies the collections. */
    public VrrpInstance {
        unicastPeer = List.copyOf(unicastPeer);
        trackInterface = List.copyOf(trackInterface);
        trackScript = List.copyOf(trackScript);
        trackFile = List.copyOf(trackFile);
        virtualIpaddress = List.copyOf(virtualIpaddress);
        virtualIpaddressExcluded = List.copyOf(virtualIpaddressExcluded);
        virtualRoutes = List.copyOf(virtualRoutes);
        notifyScripts = Collections.unmodifiableMap(new LinkedHashMap<>(notifyScripts));
    }

    /**
     * The {@code authentication} block (VRRPv2 only).
     *
     * @param authType {@code auth_type} PASS or AH
     * @param authPass {@code auth_pass} (at most 8 characters are used)
     */
    public record Authentication(String authType, String authPass) {
    }

    /**
     * A {@code track_interface} entry: the interface going down faults the instance, or with a weight changes its
     * priority.
     *
     * @param name interface name
     * @param weight priority change (0: fault on down)
     * @param reverse {@code reverse}: the weight applies when the interface is up
     */
    public record TrackInterface(String name, int weight, boolean reverse) {
    }

    /**
     * A {@code track_script} or {@code track_file} reference by name, with an optional weight override.
     *
     * @param name the {@code vrrp_script} or {@code track_file} name
     * @param weight the overriding weight, or null for the tracked object's own weight
     * @param reverse {@code reverse}
     */
    public record TrackRef(String name, Integer weight, boolean reverse) {
    }

    /**
     * A {@code virtual_ipaddress} entry: {@code ADDR[/PREFIX] [brd ADDR] [dev IF] [scope S] [label L] [no_track]}.
     *
     * @param address the address
     * @param prefixLength the prefix length (32 or 128 when not given)
     * @param brd the broadcast address or null
     * @param dev the interface, or null for the instance's interface
     * @param label the label or null
     * @param scope the scope or null
     * @param noTrack {@code no_track}
     * @param origin where it was written
     */
    public record VirtualIp(InetAddress address, int prefixLength, InetAddress brd, String dev, String label,
                            String scope, boolean noTrack, Origin origin) {
    }

    /**
     * A {@code virtual_routes} entry:
     * {@code [src ADDR] [to] DEST [via|gw ADDR] [dev IF] [scope S] [table T] [metric N]} or {@code blackhole DEST}.
     *
     * @param destination destination prefix text ({@code 10.1.0.0/16} or {@code default})
     * @param via gateway or null
     * @param src preferred source or null
     * @param dev interface or null
     * @param scope scope or null
     * @param table routing table or null
     * @param metric metric or null
     * @param type route type ({@code unicast}, {@code blackhole}, {@code unreachable}, {@code prohibit})
     * @param origin where it was written
     */
    public record VirtualRoute(String destination, InetAddress via, InetAddress src, String dev, String scope,
                               String table, Integer metric, String type, Origin origin) {
    }
}
