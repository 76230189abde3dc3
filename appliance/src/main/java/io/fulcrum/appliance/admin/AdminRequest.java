package io.fulcrum.appliance.admin;

import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.ServiceKey;
import io.fulcrum.netlink.IpText;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One control-socket request: what {@code fulcrumadm} asks the daemon to do, as a flat record that travels as one line
 * of JSON ({@code {"op":"add-server","protocol":"tcp","address":"10.0.0.100","port":80,"server":"10.0.0.2",...}}).
 * {@link #fromJson(Map)} checks every field (known operation, known keys, types, ranges, the fields the operation
 * needs) before anything is applied, so a hand-written request ({@code socat}) gets the same precise errors as the tool.
 *
 * <p>Immutable; any thread.
 *
 * @param op the operation
 * @param service the virtual service ({@code -t}/{@code -u}), or null
 * @param scheduler {@code -s} scheduler keyword, or null (ipvsadm's default {@code wlc} for {@code -A}/{@code -E})
 * @param persistence {@code -p} timeout in seconds, or 0 for none
 * @param forward an explicit forwarding method ({@code -g}/{@code -m}/{@code -i}/{@code -b}), or null
 * @param server the real server address ({@code -r}), or null
 * @param serverPort the real server port
 * @param weight {@code -w} (ipvsadm's default 1)
 * @param localAddress the local address ({@code -z}), or null
 * @param ifname {@code -F}, or null
 * @param stats {@code --stats}
 * @param rate {@code --rate}
 * @param exact {@code --exact}
 * @param noSort {@code --nosort}
 * @param connections {@code -c}
 */
public record AdminRequest(Op op, ServiceKey service, String scheduler, int persistence, ForwardingMethod forward,
                           InetAddress server, int serverPort, int weight, InetAddress localAddress, String ifname,
                           boolean stats, boolean rate, boolean exact, boolean noSort, boolean connections) {

    /** What the request does; {@link #wire()} is the name on the socket and in messages (ipvsadm's command names). */
    public enum Op {
        /** {@code -L}. */
        LIST("list"),
        /** {@code -Z}. */
        ZERO("zero"),
        /** {@code -A}. */
        ADD_SERVICE("add-service"),
        /** {@code -E}. */
        EDIT_SERVICE("edit-service"),
        /** {@code -D}. */
        DELETE_SERVICE("delete-service"),
        /** {@code -a}. */
        ADD_SERVER("add-server"),
        /** {@code -e}. */
        EDIT_SERVER("edit-server"),
        /** {@code -d}. */
        DELETE_SERVER("delete-server"),
        /** {@code -P}. */
        ADD_LADDR("add-laddr"),
        /** {@code -Q}. */
        DEL_LADDR("del-laddr"),
        /** {@code -G}. */
        GET_LADDR("get-laddr"),
        /** {@code fulcrumadm vrrp}. */
        VRRP("vrrp"),
        /** {@code fulcrumadm dump --json}. */
        DUMP_JSON("dump-json"),
        /** {@code fulcrumadm reload} (SIGHUP). */
        RELOAD("reload"),
        /** {@code fulcrumadm json}: writes the JSON dump file (keepalived's SIGJSON). */
        WRITE_JSON("json"),
        /** {@code fulcrumadm stats-clear}: zeroes the VRRP statistics (keepalived's SIGSTATS_CLEAR). */
        STATS_CLEAR("stats-clear");

        private final String wire;

        Op(String wire) {
            this.wire = wire;
        }

        /** The operation's name on the socket. */
        public String wire() {
            return wire;
        }

        /** The operation named {@code wire}, or null. */
        public static Op ofWire(String wire) {
            for (Op op : values()) {
                if (op.wire.equals(wire)) {
                    return op;
                }
            }
            return null;
        }
    }

    /** A request that carries only an operation. */
    public static AdminRequest of(Op op) {
        return new AdminRequest(op, null, null, 0, null, null, 0, 1, null, null, false, false, false, false, false);
    }

    /** The highest {@code -p} timeout ipvsadm accepts: 31 days. */
    public static final int MAX_PERSISTENCE = 86400 * 31;

    private static final Set<String> KEYS = Set.of("op", "protocol", "address", "port", "scheduler", "persistence",
            "forward", "server", "server_port", "weight", "laddr", "ifname", "stats", "rate", "exact", "nosort",
            "connections");

    /** The JSON object of this request (only the fields that are set). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op.wire());
        if (service != null) {
            m.put("protocol", service.protocol().keyword());
            m.put("address", IpText.format(service.address()));
            m.put("port", service.port());
        }
        if (scheduler != null) {
            m.put("scheduler", scheduler);
        }
        if (persistence != 0) {
            m.put("persistence", persistence);
        }
        if (forward != null) {
            m.put("forward", forward.name().toLowerCase(Locale.ROOT));
        }
        if (server != null) {
            m.put("server", IpText.format(server));
            m.put("server_port", serverPort);
        }
        if (op == Op.ADD_SERVER || op == Op.EDIT_SERVER) {
            m.put("weight", weight);
        }
        if (localAddress != null) {
            m.put("laddr", IpText.format(localAddress));
        }
        if (ifname != null) {
            m.put("ifname", ifname);
        }
        flag(m, "stats", stats);
        flag(m, "rate", rate);
        flag(m, "exact", exact);
        flag(m, "nosort", noSort);
        flag(m, "connections", connections);
        return m;
    }

    private static void flag(Map<String, Object> m, String key, boolean v) {
        if (v) {
            m.put(key, true);
        }
    }

    /** A request that fails validation; the message names the field and the value. */
    public static final class BadRequestException extends Exception {
        private static final long serialVersionUID = 1L;

        /** Creates the exception with its message. */
        public BadRequestException(String message) {
            super(message);
        }
    }

    /**
     * Reads and checks a request object.
     *
     * @throws BadRequestException naming the first wrong field
     */
    public static AdminRequest fromJson(Object json) throws BadRequestException {
        if (!(json instanceof Map<?, ?> m)) {
            throw new BadRequestException("bad request: expected a JSON object");
        }
        for (Object k : m.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw new BadRequestException("bad request: unknown field '" + k + "'");
            }
        }
        String opName = string(m, "op");
        if (opName == null) {
            throw new BadRequestException("bad request: missing field 'op'");
        }
        Op op = Op.ofWire(opName);
        if (op == null) {
            throw new BadRequestException("bad request: unknown op '" + opName + "'");
        }
        ServiceKey service = null;
        String protocol = string(m, "protocol");
        if (protocol != null || m.containsKey("address") || m.containsKey("port")) {
            Protocol p = switch (protocol == null ? "" : protocol) {
                case "tcp" -> Protocol.TCP;
                case "udp" -> Protocol.UDP;
                default -> throw new BadRequestException("bad request: protocol '" + protocol
                        + "' is not tcp or udp");
            };
            InetAddress a = address(m, "address");
            if (a == null) {
                throw new BadRequestException("bad request: missing field 'address'");
            }
            service = new ServiceKey(p, a, (int) number(m, "port", 0, 0, 65535));
        }
        String scheduler = string(m, "scheduler");
        int persistence = (int) number(m, "persistence", 0, 0, MAX_PERSISTENCE);
        ForwardingMethod forward = null;
        String fwd = string(m, "forward");
        if (fwd != null) {
            try {
                forward = ForwardingMethod.valueOf(fwd.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("bad request: forward '" + fwd + "' is not one of fnat, dr, nat, tun");
            }
        }
        InetAddress server = address(m, "server");
        int serverPort = (int) number(m, "server_port", 0, 0, 65535);
        int weight = (int) number(m, "weight", 1, 0, 65535);
        InetAddress laddr = address(m, "laddr");
        String ifname = string(m, "ifname");
        if (ifname != null && (ifname.isEmpty() || ifname.length() > 15 || ifname.contains("/")
                || ifname.chars().anyMatch(Character::isWhitespace))) {
            throw new BadRequestException("bad request: ifname '" + ifname + "' is not an interface name");
        }
        AdminRequest r = new AdminRequest(op, service, scheduler, persistence, forward, server, serverPort, weight,
                laddr, ifname, bool(m, "stats"), bool(m, "rate"), bool(m, "exact"), bool(m, "nosort"),
                bool(m, "connections"));
        r.checkNeeds();
        return r;
    }

    /** Checks that the operation has the fields it needs. */
    private void checkNeeds() throws BadRequestException {
        switch (op) {
            case ADD_SERVICE, EDIT_SERVICE, DELETE_SERVICE -> need(service != null, "a service");
            case ADD_SERVER, EDIT_SERVER, DELETE_SERVER -> {
                need(service != null, "a service");
                need(server != null, "a real server");
            }
            case ADD_LADDR, DEL_LADDR -> {
                need(service != null, "a service");
                need(localAddress != null, "a local address");
            }
            default -> {
            }
        }
        if (stats && rate) {
            throw new BadRequestException("bad request: stats and rate conflict");
        }
    }

    private void need(boolean present, String what) throws BadRequestException {
        if (!present) {
            throw new BadRequestException("bad request: " + op.wire() + " needs " + what);
        }
    }

    private static String string(Map<?, ?> m, String key) throws BadRequestException {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new BadRequestException("bad request: field '" + key + "' must be a string");
        }
        return s;
    }

    private static boolean bool(Map<?, ?> m, String key) throws BadRequestException {
        Object v = m.get(key);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean b)) {
            throw new BadRequestException("bad request: field '" + key + "' must be true or false");
        }
        return b;
    }

    private static long number(Map<?, ?> m, String key, long dflt, long min, long max) throws BadRequestException {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Long n)) {
            throw new BadRequestException("bad request: field '" + key + "' must be an integer");
        }
        if (n < min || n > max) {
            throw new BadRequestException("bad request: field '" + key + "' value " + n + " out of range "
                    + min + ".." + max);
        }
        return n;
    }

    private static InetAddress address(Map<?, ?> m, String key) throws BadRequestException {
        String s = string(m, key);
        if (s == null) {
            return null;
        }
        InetAddress a = AddressText.parseAddress(s);
        if (a == null) {
            throw new BadRequestException("bad request: field '" + key + "' value '" + s
                    + "' is not a numeric IP address");
        }
        return a;
    }
}
