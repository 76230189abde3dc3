package io.fulcrum.appliance.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.appliance.admin.AdminCommandLine.Parsed;
import io.fulcrum.appliance.admin.AdminRequest.Op;
import io.fulcrum.appliance.json.Json;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code fulcrumadm}'s command line read the way ipvsadm reads its own (table of arguments → request or message). */
class AdminCommandLineTest {

    private static AdminRequest ok(String... args) {
        Parsed p = AdminCommandLine.parse(args);
        assertEquals(0, p.exit(), p.err());
        assertTrue(p.err().isEmpty(), p.err());
        return p.request();
    }

    private static void usage(String message, String... args) {
        Parsed p = AdminCommandLine.parse(args);
        assertNull(p.request());
        assertEquals(AdminCommandLine.EXIT_USAGE, p.exit());
        assertEquals(message, p.err().lines().findFirst().orElse(""), String.join(" ", args));
    }

    @Test
    void optionSpellings() {
        AdminRequest a = ok("-A", "-t", "10.0.0.1:80", "-s", "wrr", "-p", "60", "-b");
        AdminRequest b = ok("--add-service", "--tcp-service=10.0.0.1:80", "--scheduler", "wrr", "--persistent=60",
                "--fullnat");
        AdminRequest c = ok("-At10.0.0.1:80", "-swrr", "-p60", "-b");
        assertEquals(a, b);
        assertEquals(a, c);
        assertEquals(Op.ADD_SERVICE, a.op());
        assertEquals(FakeAppliance.key(Protocol.TCP, "10.0.0.1", 80), a.service());
        assertEquals(60, a.persistence());
        assertEquals(ForwardingMethod.FNAT, a.forward());
    }

    @Test
    void persistentTimeoutIsOptional() {
        assertEquals(300, ok("-A", "-t", "10.0.0.1:80", "-p").persistence());
        assertEquals(300, ok("-A", "-t", "10.0.0.1:80", "-p", "-s", "rr").persistence());
        assertEquals(0, ok("-A", "-t", "10.0.0.1:0", "-p").service().port());
        usage("illegal timeout for persistent service specified", "-A", "-t", "10.0.0.1:80", "-p", "0");
    }

    @Test
    void realServerPortDefaultsToTheServicePort() {
        AdminRequest r = ok("-a", "-u", "[2001:db8::1]:53", "-r", "2001:db8::2");
        assertEquals(53, r.serverPort());
        assertEquals(FakeAppliance.ip("2001:db8::2"), r.server());
        assertEquals(1, r.weight());
        assertEquals(8053, ok("-a", "-u", "[2001:db8::1]:53", "-r", "[2001:db8::2]:8053", "-m").serverPort());
    }

    @Test
    void listFlags() {
        AdminRequest r = ok("-L", "-n", "--stats", "--exact", "--nosort");
        assertTrue(r.stats() && r.exact() && r.noSort() && !r.rate());
        assertTrue(ok("-Lnc").connections());
        assertEquals(Op.LIST, ok().op());
    }

    @Test
    void wordsAndSocket() {
        Parsed p = AdminCommandLine.parse(new String[] {"--control-socket", "/run/b/fulcrum.ctl", "vrrp"});
        assertEquals(Op.VRRP, p.request().op());
        assertEquals(Path.of("/run/b/fulcrum.ctl"), p.socket());
        assertEquals(Op.DUMP_JSON, ok("dump", "--json").op());
        assertEquals(Op.RELOAD, ok("reload").op());
        assertEquals(Op.WRITE_JSON, ok("json").op());
        assertEquals(Op.STATS_CLEAR, ok("stats-clear").op());
        assertEquals(AdminCommandLine.DEFAULT_SOCKET, AdminCommandLine.parse(new String[] {"-Ln"}).socket());
        assertEquals(Path.of("/x"), AdminCommandLine.parse(new String[] {"-L", "--control-socket=/x"}).socket());
        usage("dump needs --json (the only dump format)", "dump");
    }

    @Test
    void refusalsInIpvsadmWords() {
        usage("illegal virtual server address[:port] specified", "-A", "-t", "10.0.0.1:99999");
        usage("illegal virtual server address[:port] specified", "-A", "-t", "lb.example.com:80");
        usage("illegal real server address[:port] specified", "-a", "-t", "10.0.0.1:80", "-r", "10.0.0.300");
        usage("illegal weight specified", "-e", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "-w", "-1");
        usage("illegal local address", "-P", "-t", "10.0.0.1:80", "-z", "10.0.0.9:1000");
        usage("multiple 'weight' options specified", "-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "-w", "1",
                "-w", "2");
        usage("You need to supply the 'laddr' option for the 'add-laddr' command", "-P", "-t", "10.0.0.1:80");
        usage("Illegal 'scheduler' option with the 'delete-service' command", "-D", "-t", "10.0.0.1:80", "-s",
                "rr");
        usage("The option 'service-address' conflicts with the 'connection' option in the 'list' command",
                "-L", "-c", "-t", "10.0.0.1:80");
        usage("--bogus: unknown option", "--bogus");
        usage("option -C is not supported by fulcrumadm", "-C");
        assertTrue(AdminCommandLine.parse(new String[] {"-f", "1"}).err().startsWith("fwmark services are not "));
    }

    @Test
    void helpAndVersionAreAnswersNotErrors() {
        Parsed h = AdminCommandLine.parse(new String[] {"-h"});
        assertEquals(0, h.exit());
        assertTrue(h.out().contains("--add-laddr       -P"), h.out());
        Parsed v = AdminCommandLine.parse(new String[] {"--version"});
        assertEquals(0, v.exit());
        assertTrue(v.out().startsWith("fulcrumadm "), v.out());
    }

    @Test
    void requestsRoundTripThroughJson() throws Exception {
        for (String[] args : new String[][] {
            {"-a", "-u", "[2001:db8::1]:53", "-r", "[2001:db8::2]:8053", "-w", "7", "-m"},
            {"-P", "-t", "10.0.0.1:80", "-z", "10.0.1.1", "-F", "eth1"},
            {"-L", "-n", "--rate", "--exact"},
            {"-E", "-t", "10.0.0.1:80", "-s", "sh", "-p", "30", "-g"},
        }) {
            AdminRequest r = ok(args);
            String line = ControlServer.compact(Json.write(r.toJson()));
            assertTrue(!line.contains("\n"), line);
            assertEquals(r, AdminRequest.fromJson(Json.parse(line)), line);
        }
    }
}
