package io.fulcrum.appliance.admin;

import io.fulcrum.appliance.ApplianceView.VrrpInstanceInfo;
import io.fulcrum.netlink.IpText;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The VRRP views of {@code fulcrumadm}: the {@code vrrp} table (instance, interface, VRID, version, state, priority,
 * effective priority, master, advertisement interval and keepalived's main counters) and {@code dump --json}, which is
 * keepalived's JSON dump ({@code vrrp_json}, as written on SIGJSON): an array with one
 * {@code {"data": {...}, "stats": {...}}} object per instance under keepalived's key names, so tools reading
 * keepalived's dump (keepalived-exporter {@code --ka.json}) read Fulcrum's.
 *
 * <p>Stateless; any thread may call.
 */
public final class VrrpText {

    /** keepalived's statistics keys, in keepalived's order. */
    public static final List<String> STATS_KEYS = List.of("advert_rcvd", "advert_sent", "become_master",
            "release_master", "packet_len_err", "advert_interval_err", "ip_ttl_err", "invalid_type_rcvd",
            "addr_list_err", "invalid_authtype", "authtype_mismatch", "auth_failure", "pri_zero_rcvd",
            "pri_zero_sent");

    private VrrpText() {
    }

    /** keepalived's numeric state: INIT 0, BACKUP 1, MASTER 2, FAULT 3, STOP 98 (-1 for anything else). */
    public static int stateNumber(String state) {
        return switch (state) {
            case "INIT" -> 0;
            case "BACKUP" -> 1;
            case "MASTER" -> 2;
            case "FAULT" -> 3;
            case "STOP" -> 98;
            default -> -1;
        };
    }

    /** The {@code fulcrumadm vrrp} table. */
    public static String table(List<VrrpInstanceInfo> instances) {
        StringBuilder sb = new StringBuilder(256);
        String fmt = "%-16s %-10s %4s %3s %-6s %4s %4s %-26s %7s %10s %10s %7s %8s\n";
        sb.append(String.format(Locale.ROOT, fmt, "Instance", "Interface", "VRID", "Ver", "State", "Prio", "Eff",
                "Master", "AdvInt", "AdvRcvd", "AdvSent", "BecMst", "RelMst"));
        for (VrrpInstanceInfo v : instances) {
            sb.append(String.format(Locale.ROOT, fmt, v.name(), v.interfaceName(), v.virtualRouterId(),
                    "v" + v.version(), v.state(), v.priority(), v.effectivePriority(),
                    v.masterAddress() == null ? "-" : IpText.format(v.masterAddress()),
                    String.format(Locale.ROOT, "%.2fs", v.advertIntervalCentis() / 100.0),
                    stat(v, "advert_rcvd"), stat(v, "advert_sent"), stat(v, "become_master"),
                    stat(v, "release_master")));
        }
        return sb.toString();
    }

    private static long stat(VrrpInstanceInfo v, String key) {
        Long n = v.stats() == null ? null : v.stats().get(key);
        return n == null ? 0 : n;
    }

    /** keepalived's JSON dump of {@code instances} (a list to give to {@link io.fulcrum.appliance.json.Json}). */
    public static List<Object> keepalivedJson(List<VrrpInstanceInfo> instances) {
        List<Object> list = new ArrayList<>(instances.size());
        for (VrrpInstanceInfo v : instances) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("iname", v.name());
            data.put("ifp_ifname", v.interfaceName());
            boolean master = "MASTER".equals(v.state());
            data.put("master_priority", master ? v.effectivePriority() : 0);
            data.put("vrid", v.virtualRouterId());
            data.put("base_priority", v.priority());
            data.put("effective_priority", v.effectivePriority());
            data.put("vipset", master);
            data.put("adver_int", v.advertIntervalCentis() / 100.0);
            data.put("master_adver_int", v.advertIntervalCentis() / 100.0);
            data.put("state", stateNumber(v.state()));
            data.put("wantstate", stateNumber(v.state()));
            data.put("version", v.version());
            if (!v.virtualAddresses().isEmpty()) {
                List<Object> vips = new ArrayList<>();
                for (InetAddress a : v.virtualAddresses()) {
                    // keepalived's format: "ADDRESS dev IFNAME scope global"; tools split it on spaces.
                    vips.add(IpText.format(a) + " dev " + v.interfaceName() + " scope global");
                }
                data.put("vips", vips);
            }
            Map<String, Object> stats = new LinkedHashMap<>();
            for (String k : STATS_KEYS) {
                stats.put(k, stat(v, k));
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("data", data);
            entry.put("stats", stats);
            list.add(entry);
        }
        return list;
    }
}
