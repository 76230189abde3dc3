package io.fulcrum.appliance.admin;

import io.fulcrum.appliance.admin.AdminRequest.Op;
import io.fulcrum.appliance.admin.AddressText.AddressPort;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.ServiceKey;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code fulcrumadm}'s command line the way ipvsadm (with DPVS's local-address extensions) reads its own:
 * one command ({@code -A -E -D -L -Z -a -e -d -P -Q -G}), its options, short options clustered ({@code -Ln}),
 * {@code --long=value} or {@code --long value}, {@code -p} with an optional timeout; or one of Fulcrum's words
 * ({@code vrrp}, {@code dump --json}, {@code reload}, {@code json}, {@code stats-clear}); {@code --control-socket PATH}
 * anywhere. Options a command does not take, missing options and malformed values are refused with ipvsadm's wording
 * before anything is sent to the daemon.
 *
 * <p>Stateless; any thread may call.
 */
public final class AdminCommandLine {

    /** The default control socket. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/fulcrum/fulcrum.ctl");

    /** Exit status of a bad command line (ipvsadm's {@code fail(2, ...)}). */
    public static final int EXIT_USAGE = 2;

    /**
     * The parse result: either a request for the daemon, or an immediate answer (help, version, a usage error).
     *
     * @param request the request, or null for an immediate answer
     * @param socket the control socket to use
     * @param exit the immediate exit status (when {@code request} is null)
     * @param out the immediate standard output
     * @param err the immediate standard error
     */
    public record Parsed(AdminRequest request, Path socket, int exit, String out, String err) {
    }

    /** ipvsadm's option names, used in its messages. */
    private enum Opt {
        NUMERIC("numeric"), CONNECTION("connection"), SERVICE("service-address"), SCHEDULER("scheduler"),
        PERSISTENT("persistent"), REAL_SERVER("real-server"), FORWARD("forwarding-method"), WEIGHT("weight"),
        STATS("stats"), RATE("rate"), NOSORT("nosort"), EXACT("exact"), LADDR("laddr"), IFNAME("ifname");

        final String label;

        Opt(String label) {
            this.label = label;
        }
    }

    private static final Map<Op, Set<Opt>> REQUIRED = Map.of(
            Op.ADD_SERVICE, EnumSet.of(Opt.SERVICE), Op.EDIT_SERVICE, EnumSet.of(Opt.SERVICE),
            Op.DELETE_SERVICE, EnumSet.of(Opt.SERVICE),
            Op.ADD_SERVER, EnumSet.of(Opt.SERVICE, Opt.REAL_SERVER),
            Op.EDIT_SERVER, EnumSet.of(Opt.SERVICE, Opt.REAL_SERVER),
            Op.DELETE_SERVER, EnumSet.of(Opt.SERVICE, Opt.REAL_SERVER),
            Op.ADD_LADDR, EnumSet.of(Opt.SERVICE, Opt.LADDR), Op.DEL_LADDR, EnumSet.of(Opt.SERVICE, Opt.LADDR));

    private static final Map<Op, Set<Opt>> ALLOWED = Map.ofEntries(
            Map.entry(Op.ADD_SERVICE, EnumSet.of(Opt.SERVICE, Opt.SCHEDULER, Opt.PERSISTENT, Opt.FORWARD)),
            Map.entry(Op.EDIT_SERVICE, EnumSet.of(Opt.SERVICE, Opt.SCHEDULER, Opt.PERSISTENT, Opt.FORWARD)),
            Map.entry(Op.DELETE_SERVICE, EnumSet.of(Opt.SERVICE)),
            Map.entry(Op.LIST, EnumSet.of(Opt.NUMERIC, Opt.CONNECTION, Opt.SERVICE, Opt.STATS, Opt.RATE,
                    Opt.NOSORT, Opt.EXACT)),
            Map.entry(Op.ADD_SERVER, EnumSet.of(Opt.SERVICE, Opt.REAL_SERVER, Opt.FORWARD, Opt.WEIGHT)),
            Map.entry(Op.EDIT_SERVER, EnumSet.of(Opt.SERVICE, Opt.REAL_SERVER, Opt.FORWARD, Opt.WEIGHT)),
            Map.entry(Op.DELETE_SERVER, EnumSet.of(Opt.SERVICE, Opt.REAL_SERVER)),
            Map.entry(Op.ZERO, EnumSet.of(Opt.SERVICE)),
            Map.entry(Op.ADD_LADDR, EnumSet.of(Opt.SERVICE, Opt.LADDR, Opt.IFNAME)),
            Map.entry(Op.DEL_LADDR, EnumSet.of(Opt.SERVICE, Opt.LADDR, Opt.IFNAME)),
            Map.entry(Op.GET_LADDR, EnumSet.of(Opt.SERVICE, Opt.NUMERIC)));

    /** Thrown inside the parser for a usage error; carries ipvsadm's message. */
    private static class UsageException extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean tryHelp;

        UsageException(String message, boolean tryHelp) {
            super(message, null, false, false);
            this.tryHelp = tryHelp;
        }
    }

    /** The mutable state of one parse. */
    private static final class State {
        Op op;
        final EnumSet<Opt> seen = EnumSet.noneOf(Opt.class);
        Protocol protocol;
        AddressPort service;
        String scheduler;
        int persistence;
        ForwardingMethod forward;
        AddressPort server;
        int weight = 1;
        InetAddress laddr;
        String ifname;
        boolean stats;
        boolean rate;
        boolean exact;
        boolean noSort;
        boolean connections;
        boolean json;
        Path socket = DEFAULT_SOCKET;
    }

    private AdminCommandLine() {
    }

    /** Parses {@code args}. Never throws. */
    public static Parsed parse(String[] args) {
        State st = new State();
        try {
            return parse(args, st);
        } catch (HelpException e) {
            return new Parsed(null, st.socket, 0, e.getMessage(), "");
        } catch (UsageException e) {
            String err = e.getMessage() + "\n";
            if (e.tryHelp) {
                err += "Try `fulcrumadm -h' or 'fulcrumadm --help' for more information.\n";
            }
            return new Parsed(null, st.socket, EXIT_USAGE, "", err);
        }
    }

    private static Parsed parse(String[] args, State st) throws UsageException {
        int i = 0;
        String word = null;
        // Fulcrum's words come first; --control-socket may precede them.
        while (i < args.length && args[i].startsWith("--control-socket")) {
            i = controlSocket(args, i, st);
        }
        if (i < args.length && !args[i].startsWith("-")) {
            word = args[i++];
        }
        if (word != null) {
            return word(word, args, i, st);
        }
        if (i == args.length) {
            st.op = Op.LIST;
            return finish(st);
        }
        while (i < args.length) {
            String a = args[i];
            if (a.startsWith("--")) {
                i = longOption(args, i, st);
            } else if (a.startsWith("-") && a.length() > 1) {
                i = shortCluster(args, i, st);
            } else {
                throw new UsageException("unexpected argument " + a, false);
            }
        }
        if (st.op == null) {
            throw new UsageException("no command specified", true);
        }
        return finish(st);
    }

    private static Parsed word(String word, String[] args, int i, State st) throws UsageException {
        Op op = switch (word) {
            case "vrrp" -> Op.VRRP;
            case "dump" -> Op.DUMP_JSON;
            case "reload" -> Op.RELOAD;
            case "json" -> Op.WRITE_JSON;
            case "stats-clear" -> Op.STATS_CLEAR;
            default -> throw new UsageException("unknown command '" + word
                    + "' (fulcrumadm takes ipvsadm's options, or vrrp, dump --json, reload, json, stats-clear)", true);
        };
        while (i < args.length) {
            String a = args[i];
            if (a.startsWith("--control-socket")) {
                i = controlSocket(args, i, st);
            } else if (op == Op.DUMP_JSON && a.equals("--json")) {
                st.json = true;
                i++;
            } else {
                throw new UsageException("unexpected argument " + a + " for '" + word + "'", true);
            }
        }
        if (op == Op.DUMP_JSON && !st.json) {
            throw new UsageException("dump needs --json (the only dump format)", true);
        }
        return new Parsed(AdminRequest.of(op), st.socket, 0, "", "");
    }

    private static int controlSocket(String[] args, int i, State st) throws UsageException {
        String a = args[i];
        String value;
        int next;
        if (a.startsWith("--control-socket=")) {
            value = a.substring("--control-socket=".length());
            next = i + 1;
        } else if (a.equals("--control-socket")) {
            if (i + 1 >= args.length) {
                throw new UsageException("--control-socket: missing argument", true);
            }
            value = args[i + 1];
            next = i + 2;
        } else {
            throw new UsageException("invalid option `" + a + "'", true);
        }
        if (value.isEmpty()) {
            throw new UsageException("--control-socket: empty path", true);
        }
        st.socket = Path.of(value);
        return next;
    }

    private static int longOption(String[] args, int i, State st) throws UsageException {
        String a = args[i];
        if (a.startsWith("--control-socket")) {
            return controlSocket(args, i, st);
        }
        String name = a.substring(2);
        String inline = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
            inline = name.substring(eq + 1);
            name = name.substring(0, eq);
        }
        char c = switch (name) {
            case "add-service" -> 'A';
            case "edit-service" -> 'E';
            case "delete-service" -> 'D';
            case "list" -> 'L';
            case "zero" -> 'Z';
            case "add-server" -> 'a';
            case "edit-server" -> 'e';
            case "delete-server" -> 'd';
            case "add-laddr" -> 'P';
            case "del-laddr" -> 'Q';
            case "get-laddr" -> 'G';
            case "help" -> 'h';
            case "version" -> 'v';
            case "tcp-service" -> 't';
            case "udp-service" -> 'u';
            case "fwmark-service" -> 'f';
            case "scheduler" -> 's';
            case "persistent" -> 'p';
            case "real-server" -> 'r';
            case "masquerading" -> 'm';
            case "ipip" -> 'i';
            case "gatewaying" -> 'g';
            case "fullnat" -> 'b';
            case "weight" -> 'w';
            case "numeric" -> 'n';
            case "connection" -> 'c';
            case "exact" -> 'X';
            case "laddr" -> 'z';
            case "ifname" -> 'F';
            case "stats" -> 1;
            case "rate" -> 2;
            case "sort" -> 3;
            case "nosort" -> 4;
            case "clear", "restore", "save", "set", "start-daemon", "stop-daemon", "netmask", "u-threshold",
                 "l-threshold", "thresholds", "persistent-conn", "timeout", "daemon", "ops", "pe", "syncid",
                 "mcast-interface", "ipv6", "sctp-service", "synproxy", "blklst", "whtlst" ->
                    throw new UsageException("option --" + name + " is not supported by fulcrumadm", true);
            default -> throw new UsageException("--" + name + ": unknown option", true);
        };
        boolean takesArg = "tufsrwzF".indexOf(c) >= 0;
        if (c == 'p') {
            String value = inline;
            int next = i + 1;
            if (value == null && next < args.length && !args[next].startsWith("-")) {
                value = args[next];
                next++;
            }
            apply(st, c, value);
            return next;
        }
        if (takesArg) {
            if (inline != null) {
                apply(st, c, inline);
                return i + 1;
            }
            if (i + 1 >= args.length) {
                throw new UsageException("--" + name + ": missing argument", true);
            }
            apply(st, c, args[i + 1]);
            return i + 2;
        }
        if (inline != null) {
            throw new UsageException("--" + name + ": option does not take an argument", true);
        }
        apply(st, c, null);
        return i + 1;
    }

    private static int shortCluster(String[] args, int i, State st) throws UsageException {
        String a = args[i];
        int next = i + 1;
        for (int k = 1; k < a.length(); k++) {
            char c = a.charAt(k);
            if ("tufsrwzF".indexOf(c) >= 0) {
                String value;
                if (k + 1 < a.length()) {
                    value = a.substring(k + 1);
                } else if (next < args.length) {
                    value = args[next++];
                } else {
                    throw new UsageException("-" + c + ": missing argument", true);
                }
                apply(st, c, value);
                return next;
            }
            if (c == 'p') {
                String value = null;
                if (k + 1 < a.length()) {
                    value = a.substring(k + 1);
                } else if (next < args.length && !args[next].startsWith("-")) {
                    value = args[next++];
                }
                apply(st, c, value);
                return next;
            }
            if ("AEDLlZaedPQGhvmigbncX".indexOf(c) < 0) {
                if ("CRSMxyo6".indexOf(c) >= 0) {
                    throw new UsageException("option -" + c + " is not supported by fulcrumadm", true);
                }
                throw new UsageException("-" + c + ": unknown option", true);
            }
            apply(st, c, null);
        }
        return next;
    }

    private static void command(State st, Op op) throws UsageException {
        if (st.op != null) {
            throw new UsageException("multiple commands specified", false);
        }
        st.op = op;
    }

    private static void option(State st, Opt o) throws UsageException {
        if (!st.seen.add(o)) {
            throw new UsageException("multiple '" + o.label + "' options specified", false);
        }
    }

    private static void apply(State st, char c, String value) throws UsageException {
        switch (c) {
            case 'A' -> command(st, Op.ADD_SERVICE);
            case 'E' -> command(st, Op.EDIT_SERVICE);
            case 'D' -> command(st, Op.DELETE_SERVICE);
            case 'L', 'l' -> command(st, Op.LIST);
            case 'Z' -> command(st, Op.ZERO);
            case 'a' -> command(st, Op.ADD_SERVER);
            case 'e' -> command(st, Op.EDIT_SERVER);
            case 'd' -> command(st, Op.DELETE_SERVER);
            case 'P' -> command(st, Op.ADD_LADDR);
            case 'Q' -> command(st, Op.DEL_LADDR);
            case 'G' -> command(st, Op.GET_LADDR);
            case 'h' -> throw new HelpException(usage());
            case 'v' -> throw new HelpException(versionText());
            case 't', 'u' -> {
                option(st, Opt.SERVICE);
                st.protocol = c == 't' ? Protocol.TCP : Protocol.UDP;
                st.service = AddressText.parseAddressPort(value);
                if (st.service == null) {
                    throw new UsageException("illegal virtual server address[:port] specified", false);
                }
            }
            case 'f' -> throw new UsageException("fwmark services are not supported: the Fulcrum dataplane matches "
                    + "a virtual service by protocol, address and port (use -t or -u)", false);
            case 's' -> {
                option(st, Opt.SCHEDULER);
                st.scheduler = value;
            }
            case 'p' -> {
                option(st, Opt.PERSISTENT);
                st.persistence = 300;
                if (value != null) {
                    if (!value.matches("[0-9]{1,10}")) {
                        throw new UsageException("illegal timeout for persistent service specified", false);
                    }
                    long t = Long.parseLong(value);
                    if (t < 1 || t > AdminRequest.MAX_PERSISTENCE) {
                        throw new UsageException("illegal timeout for persistent service specified", false);
                    }
                    st.persistence = (int) t;
                }
            }
            case 'r' -> {
                option(st, Opt.REAL_SERVER);
                st.server = AddressText.parseAddressPort(value);
                if (st.server == null) {
                    throw new UsageException("illegal real server address[:port] specified", false);
                }
            }
            case 'g', 'i', 'm', 'b' -> {
                option(st, Opt.FORWARD);
                st.forward = switch (c) {
                    case 'g' -> ForwardingMethod.DR;
                    case 'i' -> ForwardingMethod.TUN;
                    case 'm' -> ForwardingMethod.NAT;
                    default -> ForwardingMethod.FNAT;
                };
            }
            case 'w' -> {
                option(st, Opt.WEIGHT);
                if (value == null || !value.matches("[0-9]{1,5}") || Integer.parseInt(value) > 65535) {
                    throw new UsageException("illegal weight specified", false);
                }
                st.weight = Integer.parseInt(value);
            }
            case 'n' -> option(st, Opt.NUMERIC);
            case 'c' -> {
                option(st, Opt.CONNECTION);
                st.connections = true;
            }
            case 'X' -> {
                option(st, Opt.EXACT);
                st.exact = true;
            }
            case 'z' -> {
                option(st, Opt.LADDR);
                AddressPort ap = AddressText.parseAddressPort(value);
                if (ap == null || ap.hasPort()) {
                    throw new UsageException("illegal local address", false);
                }
                st.laddr = ap.address();
            }
            case 'F' -> {
                option(st, Opt.IFNAME);
                if (value.isEmpty() || value.length() > 15 || value.contains("/")
                        || value.chars().anyMatch(Character::isWhitespace)) {
                    throw new UsageException("illegal interface name '" + value + "'", false);
                }
                st.ifname = value;
            }
            case 1 -> {
                option(st, Opt.STATS);
                st.stats = true;
            }
            case 2 -> {
                option(st, Opt.RATE);
                st.rate = true;
            }
            case 3 -> {
                // --sort is ipvsadm's default; accepted for compatibility.
            }
            case 4 -> {
                option(st, Opt.NOSORT);
                st.noSort = true;
            }
            default -> throw new UsageException("-" + c + ": unknown option", true);
        }
    }

    /** Help and version are answers, not errors; carried out of {@link #apply} by this exception. */
    private static final class HelpException extends UsageException {
        private static final long serialVersionUID = 1L;

        HelpException(String text) {
            super(text, false);
        }
    }

    private static Parsed finish(State st) throws UsageException {
        Op op = st.op;
        Set<Opt> allowed = ALLOWED.getOrDefault(op, EnumSet.noneOf(Opt.class));
        for (Opt o : st.seen) {
            if (!allowed.contains(o)) {
                throw new UsageException("Illegal '" + o.label + "' option with the '" + op.wire() + "' command",
                        false);
            }
        }
        for (Opt o : REQUIRED.getOrDefault(op, Set.of())) {
            if (!st.seen.contains(o)) {
                throw new UsageException("You need to supply the '" + o.label + "' option for the '" + op.wire()
                        + "' command", false);
            }
        }
        if (op == Op.LIST) {
            if (st.seen.contains(Opt.CONNECTION) && st.seen.contains(Opt.SERVICE)) {
                throw new UsageException("The option '" + Opt.SERVICE.label + "' conflicts with the '"
                        + Opt.CONNECTION.label + "' option in the 'list' command", false);
            }
            if (st.connections && (st.stats || st.rate) || st.stats && st.rate) {
                throw new UsageException("options conflicts in the list command", false);
            }
        }
        ServiceKey key = st.service == null ? null
                : new ServiceKey(st.protocol, st.service.address(), st.service.port());
        if ((op == Op.ADD_SERVICE || op == Op.EDIT_SERVICE) && key.port() == 0 && st.persistence == 0) {
            throw new UsageException("Zero port specified for non-persistent service", false);
        }
        InetAddress server = null;
        int serverPort = 0;
        if (st.server != null) {
            server = st.server.address();
            // ipvsadm: a real server without a port takes the service's port.
            serverPort = st.server.hasPort() ? st.server.port() : key.port();
        }
        if (key != null && server != null && (key.address().getAddress().length != server.getAddress().length)
                && st.forward != null && st.forward != ForwardingMethod.FNAT) {
            throw new UsageException("the real server's address family differs from the service's: only FullNAT "
                    + "(-b) translates between IPv4 and IPv6", false);
        }
        AdminRequest r = new AdminRequest(op, key, st.scheduler, st.persistence, st.forward, server, serverPort,
                st.weight, st.laddr, st.ifname, st.stats, st.rate, st.exact, st.noSort, st.connections);
        return new Parsed(r, st.socket, 0, "", "");
    }

    /** The {@code -v} text. */
    static String versionText() {
        String v = AdminCommandLine.class.getPackage().getImplementationVersion();
        return "fulcrumadm " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (ipvsadm v1.31 compatible, with DPVS's "
                + "local-address commands)\n";
    }

    /** The {@code -h} text. */
    static String usage() {
        return """
                fulcrumadm: administration of a running fulcrum daemon, with ipvsadm's options
                Usage:
                  fulcrumadm -A|E virtual-service [-s scheduler] [-p [timeout]] [-g|-i|-m|-b]
                  fulcrumadm -D virtual-service
                  fulcrumadm -a|e virtual-service -r server-address [-g|-i|-m|-b] [-w weight]
                  fulcrumadm -d virtual-service -r server-address
                  fulcrumadm -L|l [virtual-service] [-n] [-c] [--stats|--rate] [--exact] [--sort|--nosort]
                  fulcrumadm -Z [virtual-service]
                  fulcrumadm -P|Q virtual-service -z local-address [-F ifname]
                  fulcrumadm -G [virtual-service]
                  fulcrumadm vrrp | dump --json | reload | json | stats-clear
                  fulcrumadm -h | -v

                Commands:
                  --add-service     -A        add virtual service with options
                  --edit-service    -E        edit virtual service with options
                  --delete-service  -D        delete virtual service
                  --add-server      -a        add real server with options
                  --edit-server     -e        edit real server with options
                  --delete-server   -d        delete real server
                  --list            -L|-l     list the table
                  --zero            -Z        zero counters in a service or all services
                  --add-laddr       -P        add a local address to a FullNAT service
                  --del-laddr       -Q        delete a local address (drains while in use)
                  --get-laddr       -G        list local addresses
                  vrrp                        VRRP instances: state, priority, master, counters
                  dump --json                 VRRP instances as keepalived's JSON dump
                  reload                      re-read the configuration (as SIGHUP)
                  json                        write the JSON dump file (keepalived's SIGJSON)
                  stats-clear                 zero the VRRP statistics
                  --help            -h        display this help message
                  --version         -v        display the version

                Options:
                  --tcp-service  -t service-address   service-address is host[:port]
                  --udp-service  -u service-address   service-address is host[:port]
                  --scheduler    -s scheduler         one of rr|wrr|lc|wlc|sh|mh,
                                                      the default scheduler is wlc.
                  --persistent   -p [timeout]         persistent service (default timeout 300)
                  --real-server  -r server-address    server-address is host (and port)
                  --gatewaying   -g                   gatewaying (direct routing) (default)
                  --ipip         -i                   ipip encapsulation (tunneling)
                  --masquerading -m                   masquerading (NAT)
                  --fullnat      -b                   fullnat mode
                  --weight       -w weight            capacity of real server
                  --connection   -c                   output of current connections
                  --stats                             output of statistics information
                  --rate                              output of rate information
                  --exact                             expand numbers (display exact values)
                  --sort                              does nothing, for backwards compatibility
                  --nosort                            disable sorting output of service/server entries
                  --numeric      -n                   numeric output (addresses are always numeric)
                  --laddr        -z local-ip          local IP
                  --ifname       -F ifname            interface of the local address
                  --control-socket PATH               the daemon's control socket
                                                      (default /run/fulcrum/fulcrum.ctl)
                """;
    }
}
