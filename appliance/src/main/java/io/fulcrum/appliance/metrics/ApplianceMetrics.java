package io.fulcrum.appliance.metrics;

import io.fulcrum.appliance.ApplianceView;
import io.fulcrum.appliance.ApplianceView.CheckerInfo;
import io.fulcrum.appliance.ApplianceView.ConnectionTableInfo;
import io.fulcrum.appliance.ApplianceView.LocalAddressInfo;
import io.fulcrum.appliance.ApplianceView.RealServerInfo;
import io.fulcrum.appliance.ApplianceView.Status;
import io.fulcrum.appliance.ApplianceView.TrafficStats;
import io.fulcrum.appliance.ApplianceView.VirtualServiceInfo;
import io.fulcrum.appliance.ApplianceView.VrrpInstanceInfo;
import io.fulcrum.appliance.ApplianceView.WorkerInfo;
import io.fulcrum.appliance.metrics.PrometheusText.Type;
import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.service.ServiceKey;
import io.fulcrum.netlink.IpText;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Renders the running appliance as Prometheus text (format 0.0.4), under names operators' dashboards already use:
 * <ul>
 *   <li>VRRP as keepalived-exporter names it, with {@code keepalived_} replaced by {@code fulcrum_vrrp_}
 *       ({@code fulcrum_vrrp_state{iname,intf,vrid,ip_address}} with keepalived's numbers INIT 0, BACKUP 1, MASTER 2,
 *       FAULT 3; {@code fulcrum_vrrp_advertisements_received_total}, {@code fulcrum_vrrp_become_master_total}, ...),
 *       plus {@code fulcrum_vrrp_priority}, {@code fulcrum_vrrp_effective_priority} and
 *       {@code fulcrum_vrrp_master_info{iname,intf,vrid,master_address}} (always 1);</li>
 *   <li>virtual services and real servers as node_exporter's ipvs collector names them, with {@code node_} replaced by
 *       {@code fulcrum_} and its labels ({@code local_address, local_port, remote_address, remote_port, proto,
 *       local_mark}): {@code fulcrum_ipvs_connections_total}, {@code fulcrum_ipvs_incoming_packets_total}, ... per
 *       service; {@code fulcrum_ipvs_backend_weight}, {@code fulcrum_ipvs_backend_connections_active}, ... per real
 *       server, plus its traffic totals under {@code fulcrum_ipvs_backend_*_total};</li>
 *   <li>the dataplane per worker ({@code fulcrum_dataplane_rx_packets_total{worker}}, ...,
 *       {@code fulcrum_dataplane_drops_total{worker,reason}}), connection-table occupancy, local-address port usage,
 *       checker results and netlink overruns.</li>
 * </ul>
 *
 * <p>Stateless; any thread may call {@link #render}. Each call reads the view once per section.
 */
public final class ApplianceMetrics {

    private ApplianceMetrics() {
    }

    /** The exposition text of {@code view}. */
    public static String render(ApplianceView view) {
        PrometheusText t = new PrometheusText();
        process(t, view);
        vrrp(t, view.vrrpInstances());
        ipvs(t, view.virtualServices());
        localAddresses(t, view.localAddresses());
        dataplane(t, view.dataplaneWorkers());
        connectionTable(t, view.connectionTable());
        checkers(t, view.checkers());
        long overruns = view.netlinkOverruns();
        if (overruns >= 0) {
            t.family("fulcrum_netlink_overruns_total", Type.COUNTER,
                    "Netlink receive-buffer overruns (ENOBUFS) recovered by a full re-dump.");
            t.sample(overruns);
        }
        return t.text();
    }

    private static void process(PrometheusText t, ApplianceView view) {
        Status s = view.status();
        t.family("fulcrum_up", Type.GAUGE, "Whether the fulcrum daemon answers (always 1 when scraped).")
                .sample(1L, "mode", s.mode().name().toLowerCase(Locale.ROOT),
                        "dataplane", s.dataplanePortKind());
        t.family("fulcrum_config_generation", Type.GAUGE,
                "1 at start, +1 for each applied reload or runtime command.").sample(s.configGeneration());
        t.family("fulcrum_start_time_seconds", Type.GAUGE, "When the daemon started, in seconds since the epoch.")
                .sample(s.startedAt().toEpochMilli() / 1000.0);
        t.family("fulcrum_last_reload_timestamp_seconds", Type.GAUGE,
                "When the configuration was last applied, in seconds since the epoch.")
                .sample(s.lastReload().toEpochMilli() / 1000.0);
    }

    /** keepalived's statistics key → the keepalived-exporter metric name (after {@code keepalived_}) and help. */
    private static final String[][] VRRP_COUNTERS = {
        {"advert_rcvd", "advertisements_received_total", "Advertisements received."},
        {"advert_sent", "advertisements_sent_total", "Advertisements sent."},
        {"become_master", "become_master_total", "Became master."},
        {"release_master", "release_master_total", "Released master."},
        {"packet_len_err", "packet_length_errors_total", "Packet length errors."},
        {"advert_interval_err", "advertisements_interval_errors_total", "Advertisement interval errors."},
        {"ip_ttl_err", "ip_ttl_errors_total", "TTL errors."},
        {"invalid_type_rcvd", "invalid_type_received_total", "Invalid type errors."},
        {"addr_list_err", "address_list_errors_total", "Address list errors."},
        {"invalid_authtype", "authentication_invalid_total", "Authentication invalid."},
        {"authtype_mismatch", "authentication_mismatch_total", "Authentication mismatch."},
        {"auth_failure", "authentication_failure_total", "Authentication failure."},
        {"pri_zero_rcvd", "priority_zero_received_total", "Priority zero received."},
        {"pri_zero_sent", "priority_zero_sent_total", "Priority zero sent."},
    };

    private static long stateNumber(String state) {
        return switch (state) {
            case "INIT" -> 0;
            case "BACKUP" -> 1;
            case "MASTER" -> 2;
            case "FAULT" -> 3;
            case "STOP" -> 98;
            default -> -1;
        };
    }

    private static void vrrp(PrometheusText t, List<VrrpInstanceInfo> instances) {
        if (instances.isEmpty()) {
            return;
        }
        t.family("fulcrum_vrrp_state", Type.GAUGE,
                "State of vrrp (keepalived's numbers: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 98 STOP).");
        for (VrrpInstanceInfo v : instances) {
            String vrid = Integer.toString(v.virtualRouterId());
            if (v.virtualAddresses().isEmpty()) {
                t.sample(stateNumber(v.state()), "iname", v.name(), "intf", v.interfaceName(), "vrid", vrid,
                        "ip_address", "");
            }
            for (InetAddress a : v.virtualAddresses()) {
                t.sample(stateNumber(v.state()), "iname", v.name(), "intf", v.interfaceName(), "vrid", vrid,
                        "ip_address", IpText.format(a));
            }
        }
        vrrpGauge(t, instances, "fulcrum_vrrp_priority", "Configured priority.", VrrpInstanceInfo::priority);
        vrrpGauge(t, instances, "fulcrum_vrrp_effective_priority", "Priority after tracking weights.",
                VrrpInstanceInfo::effectivePriority);
        t.family("fulcrum_vrrp_master_info", Type.GAUGE,
                "Always 1; master_address is the current master's address as this node knows it (its own while MASTER,"
                        + " the last accepted advert's source while BACKUP, empty when unknown).");
        for (VrrpInstanceInfo v : instances) {
            t.sample(1L, "iname", v.name(), "intf", v.interfaceName(), "vrid", Integer.toString(v.virtualRouterId()),
                    "master_address", v.masterAddress() == null ? "" : IpText.format(v.masterAddress()));
        }
        vrrpGauge(t, instances, "fulcrum_vrrp_advertisement_interval_seconds",
                "Advertisement interval in use.", v -> v.advertIntervalCentis());
        for (String[] c : VRRP_COUNTERS) {
            t.family("fulcrum_vrrp_" + c[1], Type.COUNTER, c[2]);
            for (VrrpInstanceInfo v : instances) {
                Long n = v.stats() == null ? null : v.stats().get(c[0]);
                t.sample(n == null ? 0L : n, "iname", v.name(), "intf", v.interfaceName(), "vrid",
                        Integer.toString(v.virtualRouterId()));
            }
        }
    }

    private static void vrrpGauge(PrometheusText t, List<VrrpInstanceInfo> instances, String name, String help,
                                  ToLongFunction<VrrpInstanceInfo> value) {
        t.family(name, Type.GAUGE, help);
        boolean centis = name.endsWith("_seconds");
        for (VrrpInstanceInfo v : instances) {
            String[] labels = {"iname", v.name(), "intf", v.interfaceName(), "vrid",
                Integer.toString(v.virtualRouterId())};
            if (centis) {
                t.sample(value.applyAsLong(v) / 100.0, labels);
            } else {
                t.sample(value.applyAsLong(v), labels);
            }
        }
    }

    private static String[] serviceLabels(ServiceKey key) {
        return new String[] {"local_address", IpText.format(key.address()), "local_port",
            Integer.toString(key.port()), "proto", key.protocol().name(), "local_mark", ""};
    }

    private static String[] backendLabels(VirtualServiceInfo s, RealServerInfo r) {
        return new String[] {"local_address", IpText.format(s.address()), "local_port", Integer.toString(s.port()),
            "remote_address", IpText.format(r.address()), "remote_port", Integer.toString(r.port()),
            "proto", s.protocol().name(), "local_mark", ""};
    }

    private static void ipvs(PrometheusText t, List<VirtualServiceInfo> services) {
        serviceCounter(t, services, "fulcrum_ipvs_connections_total", "The total number of connections made.",
                TrafficStats::connections);
        serviceCounter(t, services, "fulcrum_ipvs_incoming_packets_total", "The total number of incoming packets.",
                TrafficStats::packetsIn);
        serviceCounter(t, services, "fulcrum_ipvs_outgoing_packets_total", "The total number of outgoing packets.",
                TrafficStats::packetsOut);
        serviceCounter(t, services, "fulcrum_ipvs_incoming_bytes_total", "The total amount of incoming data.",
                TrafficStats::bytesIn);
        serviceCounter(t, services, "fulcrum_ipvs_outgoing_bytes_total", "The total amount of outgoing data.",
                TrafficStats::bytesOut);
        t.family("fulcrum_ipvs_service_owned", Type.GAUGE,
                "Whether this node owns the virtual address now (VRRP MASTER, or no VRRP instance holds it).");
        for (VirtualServiceInfo s : services) {
            t.sample(s.owned() ? 1L : 0L, serviceLabels(s.key()));
        }
        t.family("fulcrum_ipvs_backend_connections_active", Type.GAUGE,
                "The current active connections by local and remote address.");
        forEachBackend(services, (s, r) -> t.sample(r.activeConnections(), backendLabels(s, r)));
        t.family("fulcrum_ipvs_backend_connections_inactive", Type.GAUGE,
                "The current inactive connections by local and remote address.");
        forEachBackend(services, (s, r) -> t.sample(r.inactiveConnections(), backendLabels(s, r)));
        t.family("fulcrum_ipvs_backend_weight", Type.GAUGE,
                "The current backend weight by local and remote address.");
        forEachBackend(services, (s, r) -> t.sample((long) r.weight(), backendLabels(s, r)));
        t.family("fulcrum_ipvs_backend_configured_weight", Type.GAUGE,
                "The backend weight from the configuration or the last runtime edit.");
        forEachBackend(services, (s, r) -> t.sample((long) r.configuredWeight(), backendLabels(s, r)));
        t.family("fulcrum_ipvs_backend_up", Type.GAUGE, "Whether the backend's checkers say it is up.");
        forEachBackend(services, (s, r) -> t.sample(r.alive() ? 1L : 0L, backendLabels(s, r)));
        backendCounter(t, services, "fulcrum_ipvs_backend_connections_total",
                "The total number of connections made to the backend.", TrafficStats::connections);
        backendCounter(t, services, "fulcrum_ipvs_backend_incoming_packets_total",
                "The total number of incoming packets for the backend.", TrafficStats::packetsIn);
        backendCounter(t, services, "fulcrum_ipvs_backend_outgoing_packets_total",
                "The total number of outgoing packets from the backend.", TrafficStats::packetsOut);
        backendCounter(t, services, "fulcrum_ipvs_backend_incoming_bytes_total",
                "The total amount of incoming data for the backend.", TrafficStats::bytesIn);
        backendCounter(t, services, "fulcrum_ipvs_backend_outgoing_bytes_total",
                "The total amount of outgoing data from the backend.", TrafficStats::bytesOut);
    }

    private interface BackendSink {
        void accept(VirtualServiceInfo s, RealServerInfo r);
    }

    private static void forEachBackend(List<VirtualServiceInfo> services, BackendSink sink) {
        for (VirtualServiceInfo s : services) {
            for (RealServerInfo r : s.realServers()) {
                sink.accept(s, r);
            }
        }
    }

    private static void serviceCounter(PrometheusText t, List<VirtualServiceInfo> services, String name,
                                       String help, ToLongFunction<TrafficStats> value) {
        t.family(name, Type.COUNTER, help);
        for (VirtualServiceInfo s : services) {
            t.sample(value.applyAsLong(s.stats() == null ? TrafficStats.ZERO : s.stats()), serviceLabels(s.key()));
        }
    }

    private static void backendCounter(PrometheusText t, List<VirtualServiceInfo> services, String name,
                                       String help, ToLongFunction<TrafficStats> value) {
        t.family(name, Type.COUNTER, help);
        forEachBackend(services, (s, r) -> t.sample(value.applyAsLong(r.stats() == null ? TrafficStats.ZERO
                : r.stats()), backendLabels(s, r)));
    }

    private static String[] laddrLabels(LocalAddressInfo l) {
        ServiceKey k = l.service();
        return new String[] {"local_address", IpText.format(k.address()), "local_port", Integer.toString(k.port()),
            "proto", k.protocol().name(), "laddr", IpText.format(l.address())};
    }

    private static void localAddresses(PrometheusText t, List<LocalAddressInfo> addresses) {
        if (addresses.isEmpty()) {
            return;
        }
        t.family("fulcrum_laddr_ports_used", Type.GAUGE,
                "FullNAT local ports in use on a local address (one per connection).");
        for (LocalAddressInfo l : addresses) {
            t.sample(l.connections(), laddrLabels(l));
        }
        t.family("fulcrum_laddr_ports_total", Type.GAUGE, "FullNAT local ports available per local address.");
        for (LocalAddressInfo l : addresses) {
            t.sample(l.portsAvailable(), laddrLabels(l));
        }
        t.family("fulcrum_laddr_draining", Type.GAUGE,
                "Whether the local address was deleted while in use and waits for its connections to end.");
        for (LocalAddressInfo l : addresses) {
            t.sample(l.draining() ? 1L : 0L, laddrLabels(l));
        }
    }

    /** The metric name of a dataplane counter, and for drops the {@code reason} label. */
    static String[] dataplaneName(DataplaneCounter c) {
        String n = c.name().toLowerCase(Locale.ROOT);
        if (n.startsWith("drop_")) {
            return new String[] {"fulcrum_dataplane_drops_total", n.substring("drop_".length())};
        }
        if (c == DataplaneCounter.CONNECTIONS_ACTIVE) {
            return new String[] {"fulcrum_dataplane_connections_active", null};
        }
        return new String[] {"fulcrum_dataplane_" + n + "_total", null};
    }

    private static void dataplane(PrometheusText t, List<WorkerInfo> workers) {
        if (workers.isEmpty()) {
            return;
        }
        boolean dropsDone = false;
        for (DataplaneCounter c : DataplaneCounter.values()) {
            String[] name = dataplaneName(c);
            if (name[1] != null) {
                if (dropsDone) {
                    continue;
                }
                dropsDone = true;
                t.family(name[0], Type.COUNTER, "Packets dropped by the dataplane, by worker and reason.");
                for (DataplaneCounter d : DataplaneCounter.values()) {
                    String[] dn = dataplaneName(d);
                    if (dn[1] == null) {
                        continue;
                    }
                    for (WorkerInfo w : workers) {
                        t.sample(value(w.counters(), d), "worker", Integer.toString(w.worker()), "reason", dn[1]);
                    }
                }
                continue;
            }
            Type type = c == DataplaneCounter.CONNECTIONS_ACTIVE ? Type.GAUGE : Type.COUNTER;
            t.family(name[0], type, c.description() + ", by worker.");
            for (WorkerInfo w : workers) {
                t.sample(value(w.counters(), c), "worker", Integer.toString(w.worker()));
            }
        }
    }

    private static long value(Map<DataplaneCounter, Long> counters, DataplaneCounter c) {
        Long v = counters == null ? null : counters.get(c);
        return v == null ? 0 : v;
    }

    private static void connectionTable(PrometheusText t, ConnectionTableInfo table) {
        if (table == null) {
            return;
        }
        t.family("fulcrum_connection_table_capacity", Type.GAUGE, "Connection-table entries per worker.");
        for (int w = 0; w < table.workers(); w++) {
            t.sample((long) table.capacityPerWorker(), "worker", Integer.toString(w));
        }
        t.family("fulcrum_connection_table_entries", Type.GAUGE, "Connections live in each worker's table.");
        List<Long> active = table.activePerWorker();
        for (int w = 0; w < active.size(); w++) {
            t.sample(active.get(w), "worker", Integer.toString(w));
        }
    }

    private static void checkers(PrometheusText t, List<CheckerInfo> checkers) {
        if (checkers.isEmpty()) {
            return;
        }
        t.family("fulcrum_checker_up", Type.GAUGE, "Whether all checkers of the real server pass.");
        for (CheckerInfo c : checkers) {
            t.sample(c.up() ? 1L : 0L, checkerLabels(c));
        }
        t.family("fulcrum_checker_weight", Type.GAUGE, "The weight the checkers give the real server.");
        for (CheckerInfo c : checkers) {
            t.sample((long) c.weight(), checkerLabels(c));
        }
        t.family("fulcrum_checker_state_changes_total", Type.COUNTER, "Checker state changes since start.");
        for (CheckerInfo c : checkers) {
            t.sample(c.changes(), checkerLabels(c));
        }
        t.family("fulcrum_checker_last_change_timestamp_seconds", Type.GAUGE,
                "When the checker state last changed, in seconds since the epoch.");
        for (CheckerInfo c : checkers) {
            t.sample(c.lastChange().toEpochMilli() / 1000.0, checkerLabels(c));
        }
    }

    private static String[] checkerLabels(CheckerInfo c) {
        return new String[] {"virtual_server", c.virtualServer(), "real_server", c.realServer(), "checkers",
            String.join(",", c.checkers())};
    }
}
