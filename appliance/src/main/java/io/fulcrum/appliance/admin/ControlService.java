package io.fulcrum.appliance.admin;

import io.fulcrum.appliance.ApplianceCommands;
import io.fulcrum.appliance.ApplianceCommands.Result;
import io.fulcrum.appliance.ApplianceCommands.ServiceDefinition;
import io.fulcrum.appliance.ApplianceView;
import io.fulcrum.appliance.ApplianceView.ConnectionTableInfo;
import io.fulcrum.appliance.ApplianceView.RealServerInfo;
import io.fulcrum.appliance.ApplianceView.VirtualServiceInfo;
import io.fulcrum.appliance.json.Json;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceKey;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one validated {@link AdminRequest} against the running appliance: listings are rendered from
 * {@link ApplianceView} in ipvsadm's layout; changes are checked against the view first (so the refusals carry
 * ipvsadm's words: {@code Service already exists}, {@code No such service}, {@code Service not defined},
 * {@code Destination already exists}, {@code No such destination}, {@code Scheduler or persistence engine not found};
 * and for local addresses DPVS's {@code no such service}, {@code local address already present},
 * {@code local address not in the pool}) and then applied through {@link ApplianceCommands}, which checks again under
 * the appliance's lock and changes nothing when it refuses. Successful changes print nothing, as ipvsadm.
 *
 * <p>Any thread may call {@link #execute}; the view and commands are thread-safe by contract.
 */
public final class ControlService {

    private static final Logger LOG = LoggerFactory.getLogger(ControlService.class);

    /** The {@code size=} ipvsadm prints when there is no dataplane (IPVS's default connection hash size). */
    static final int DEFAULT_TABLE_SIZE = 4096;

    private final ApplianceView view;
    private final ApplianceCommands commands;
    private final DaemonHooks hooks;

    /** A service over the daemon's view, commands and hooks. */
    public ControlService(ApplianceView view, ApplianceCommands commands, DaemonHooks hooks) {
        this.view = view;
        this.commands = commands;
        this.hooks = hooks == null ? DaemonHooks.NONE : hooks;
    }

    /** Carries out {@code r}. Never throws for a refused or failed command: the response says what went wrong. */
    public AdminResponse execute(AdminRequest r) {
        AdminResponse response = switch (r.op()) {
            case LIST -> list(r);
            case ZERO -> zero(r);
            case ADD_SERVICE -> addService(r);
            case EDIT_SERVICE -> editService(r);
            case DELETE_SERVICE -> deleteService(r);
            case ADD_SERVER -> addServer(r);
            case EDIT_SERVER -> editServer(r);
            case DELETE_SERVER -> deleteServer(r);
            case ADD_LADDR -> addLocalAddress(r);
            case DEL_LADDR -> deleteLocalAddress(r);
            case GET_LADDR -> getLocalAddresses(r);
            case VRRP -> AdminResponse.ok(VrrpText.table(view.vrrpInstances()));
            case DUMP_JSON -> AdminResponse.ok(Json.write(VrrpText.keepalivedJson(view.vrrpInstances())) + "\n");
            case RELOAD -> message(hooks.reload());
            case WRITE_JSON -> message(hooks.writeJsonDump(
                    Json.write(VrrpText.keepalivedJson(view.vrrpInstances())) + "\n"));
            case STATS_CLEAR -> message(hooks.clearStats());
        };
        if (isChange(r.op())) {
            if (response.exit() == 0) {
                LOG.info("fulcrumadm {}{}: done", r.op().wire(), describe(r));
            } else {
                LOG.info("fulcrumadm {}{}: refused: {}", r.op().wire(), describe(r), response.err().strip());
            }
        }
        return response;
    }

    private static boolean isChange(AdminRequest.Op op) {
        return switch (op) {
            case LIST, GET_LADDR, VRRP, DUMP_JSON -> false;
            default -> true;
        };
    }

    private static String describe(AdminRequest r) {
        StringBuilder sb = new StringBuilder();
        if (r.service() != null) {
            sb.append(' ').append(r.service());
        }
        if (r.server() != null) {
            sb.append(" real server ").append(IpvsText.addressPort(r.server(), r.serverPort()));
        }
        if (r.localAddress() != null) {
            sb.append(" local address ").append(io.fulcrum.netlink.IpText.format(r.localAddress()));
        }
        return sb.toString();
    }

    private static AdminResponse message(Result result) {
        if (result.ok()) {
            return AdminResponse.ok(result.message() == null || result.message().isEmpty() ? ""
                    : result.message() + "\n");
        }
        return AdminResponse.failed(result.message());
    }

    /** A change's outcome: nothing printed on success (as ipvsadm), the message on failure. */
    private static AdminResponse change(Result result) {
        return result.ok() ? AdminResponse.ok("") : AdminResponse.failed(result.message());
    }

    private VirtualServiceInfo find(ServiceKey key) {
        for (VirtualServiceInfo s : view.virtualServices()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    private static RealServerInfo findServer(VirtualServiceInfo s, InetAddress address, int port) {
        for (RealServerInfo r : s.realServers()) {
            if (r.address().equals(address) && r.port() == port) {
                return r;
            }
        }
        return null;
    }

    private int tableSize() {
        ConnectionTableInfo t = view.connectionTable();
        if (t == null) {
            return DEFAULT_TABLE_SIZE;
        }
        long size = (long) t.capacityPerWorker() * t.workers();
        return size <= 0 || size > Integer.MAX_VALUE ? DEFAULT_TABLE_SIZE : (int) size;
    }

    private AdminResponse list(AdminRequest r) {
        IpvsText.Format format = new IpvsText.Format(r.stats(), r.rate(), r.exact(), r.noSort());
        if (r.connections()) {
            DaemonHooks.ConnectionList listing = hooks.connectionList();
            if (listing == null) {
                return AdminResponse.failed("connection listing is not available: the daemon does not expose its "
                        + "connection tables");
            }
            String text = IpvsText.connections(listing.entries());
            return listing.note() == null ? AdminResponse.ok(text)
                    : new AdminResponse(0, text, listing.note() + "\n");
        }
        if (r.service() != null) {
            VirtualServiceInfo s = find(r.service());
            if (s == null) {
                return AdminResponse.failed("No such service");
            }
            return AdminResponse.ok(IpvsText.listOne(s, format));
        }
        return AdminResponse.ok(IpvsText.listAll(view.virtualServices(), tableSize(), format));
    }

    private AdminResponse zero(AdminRequest r) {
        if (r.service() != null && find(r.service()) == null) {
            return AdminResponse.failed("No such service");
        }
        return change(commands.zeroCounters(r.service()));
    }

    private static SchedulerKind scheduler(AdminRequest r) {
        return SchedulerKind.ofKeyword(r.scheduler() == null ? "wlc" : r.scheduler());
    }

    private AdminResponse addService(AdminRequest r) {
        SchedulerKind sched = scheduler(r);
        if (sched == null) {
            return AdminResponse.failed("Scheduler or persistence engine not found");
        }
        if (r.service().port() == 0 && r.persistence() == 0) {
            return AdminResponse.failed("Zero port specified for non-persistent service");
        }
        if (find(r.service()) != null) {
            return AdminResponse.failed("Service already exists");
        }
        ForwardingMethod method = r.forward() == null ? ForwardingMethod.DR : r.forward();
        return change(commands.addService(new ServiceDefinition(r.service(), sched, method, r.persistence(), null)));
    }

    private AdminResponse editService(AdminRequest r) {
        SchedulerKind sched = scheduler(r);
        if (sched == null) {
            return AdminResponse.failed("Scheduler or persistence engine not found");
        }
        if (r.service().port() == 0 && r.persistence() == 0) {
            return AdminResponse.failed("Zero port specified for non-persistent service");
        }
        VirtualServiceInfo s = find(r.service());
        if (s == null) {
            return AdminResponse.failed("No such service");
        }
        // As ipvsadm, -E sets the scheduler (default wlc) and the persistence (none without -p); the forwarding
        // method and the local-address group, which ipvsadm's -E does not carry, stay unless -g/-m/-i/-b is given.
        ForwardingMethod method = r.forward() == null ? s.forwardMethod() : r.forward();
        return change(commands.editService(new ServiceDefinition(r.service(), sched, method, r.persistence(),
                s.localAddressGroup())));
    }

    private AdminResponse deleteService(AdminRequest r) {
        if (find(r.service()) == null) {
            return AdminResponse.failed("No such service");
        }
        return change(commands.deleteService(r.service()));
    }

    /** The real server's port: DR and TUN keep the service's port (ipvsadm forces it). */
    private static int serverPort(AdminRequest r, ForwardingMethod method) {
        return method == ForwardingMethod.DR || method == ForwardingMethod.TUN ? r.service().port() : r.serverPort();
    }

    private String methodMismatch(AdminRequest r, VirtualServiceInfo s) {
        if (r.forward() != null && r.forward() != s.forwardMethod()) {
            return "the service " + s.key() + " forwards by " + IpvsText.forwardName(s.forwardMethod())
                    + " and Fulcrum uses one forwarding method per service: " + IpvsText.forwardName(r.forward())
                    + " (" + switchOf(r.forward()) + ") does not apply; change the service with -E "
                    + switchOf(r.forward());
        }
        return null;
    }

    private static String switchOf(ForwardingMethod m) {
        return switch (m) {
            case DR -> "-g";
            case TUN -> "-i";
            case NAT -> "-m";
            case FNAT -> "-b";
        };
    }

    private AdminResponse addServer(AdminRequest r) {
        VirtualServiceInfo s = find(r.service());
        if (s == null) {
            return AdminResponse.failed("Service not defined");
        }
        String mismatch = methodMismatch(r, s);
        if (mismatch != null) {
            return AdminResponse.failed(mismatch);
        }
        int port = serverPort(r, s.forwardMethod());
        if (findServer(s, r.server(), port) != null) {
            return AdminResponse.failed("Destination already exists");
        }
        return change(commands.addRealServer(r.service(), r.server(), port, r.weight()));
    }

    private AdminResponse editServer(AdminRequest r) {
        VirtualServiceInfo s = find(r.service());
        if (s == null) {
            return AdminResponse.failed("Service not defined");
        }
        String mismatch = methodMismatch(r, s);
        if (mismatch != null) {
            return AdminResponse.failed(mismatch);
        }
        int port = serverPort(r, s.forwardMethod());
        if (findServer(s, r.server(), port) == null) {
            return AdminResponse.failed("No such destination");
        }
        return change(commands.editRealServer(r.service(), r.server(), port, r.weight()));
    }

    private AdminResponse deleteServer(AdminRequest r) {
        VirtualServiceInfo s = find(r.service());
        if (s == null) {
            return AdminResponse.failed("Service not defined");
        }
        int port = serverPort(r, s.forwardMethod());
        if (findServer(s, r.server(), port) == null) {
            return AdminResponse.failed("No such destination");
        }
        return change(commands.deleteRealServer(r.service(), r.server(), port));
    }

    private String checkLocalAddressTarget(AdminRequest r, VirtualServiceInfo s) {
        if (s == null) {
            return "no such service";
        }
        if (s.forwardMethod() != ForwardingMethod.FNAT) {
            return "local addresses belong to FullNAT services; " + s.key() + " forwards by "
                    + IpvsText.forwardName(s.forwardMethod());
        }
        if (r.ifname() != null) {
            try {
                if (NetworkInterface.getByName(r.ifname()) == null) {
                    return "no such interface: " + r.ifname();
                }
            } catch (SocketException e) {
                return "cannot check interface " + r.ifname() + ": " + e.getMessage();
            }
        }
        return null;
    }

    private boolean hasLocalAddress(ServiceKey key, InetAddress address) {
        for (ApplianceView.LocalAddressInfo l : view.localAddresses()) {
            if (l.service().equals(key) && l.address().equals(address) && !l.draining()) {
                return true;
            }
        }
        return false;
    }

    private AdminResponse addLocalAddress(AdminRequest r) {
        String problem = checkLocalAddressTarget(r, find(r.service()));
        if (problem != null) {
            return AdminResponse.failed(problem);
        }
        if (hasLocalAddress(r.service(), r.localAddress())) {
            return AdminResponse.failed("local address already present");
        }
        return change(commands.addLocalAddress(r.service(), r.localAddress()));
    }

    private AdminResponse deleteLocalAddress(AdminRequest r) {
        String problem = checkLocalAddressTarget(r, find(r.service()));
        if (problem != null) {
            return AdminResponse.failed(problem);
        }
        if (!hasLocalAddress(r.service(), r.localAddress())) {
            return AdminResponse.failed("local address not in the pool");
        }
        return change(commands.deleteLocalAddress(r.service(), r.localAddress()));
    }

    private AdminResponse getLocalAddresses(AdminRequest r) {
        List<ServiceKey> keys = new ArrayList<>();
        if (r.service() != null) {
            VirtualServiceInfo s = find(r.service());
            if (s == null) {
                return AdminResponse.failed("no such service");
            }
            keys.add(s.key());
        } else {
            for (VirtualServiceInfo s : IpvsText.sorted(view.virtualServices(), IpvsText.Format.PLAIN)) {
                if (s.forwardMethod() == ForwardingMethod.FNAT) {
                    keys.add(s.key());
                }
            }
        }
        return AdminResponse.ok(IpvsText.localAddresses(keys, view.localAddresses()));
    }
}
