package io.fulcrum.appliance.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fulcrum.dataplane.conn.ConnectionInfo;
import io.fulcrum.dataplane.conn.ConnectionListing;
import io.fulcrum.dataplane.conn.ConnectionState;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dataplane's connection listing as {@code fulcrumadm -L -n -c} prints it: the local-address column only when a
 * FullNAT connection is listed, expiry as mm:ss, and the note on standard error when capped or incomplete.
 */
class ConnectionListTextTest {

    private static ConnectionInfo fnat() {
        return new ConnectionInfo(0, Protocol.TCP, ForwardingMethod.FNAT, FakeAppliance.ip("10.1.0.9"), 41234,
                FakeAppliance.ip("10.0.0.100"), 80, FakeAppliance.ip("10.0.1.1"), 5002, FakeAppliance.ip("10.0.0.2"),
                8080, ConnectionState.ESTABLISHED, 899_999);
    }

    private static ConnectionInfo dr() {
        return new ConnectionInfo(1, Protocol.TCP, ForwardingMethod.DR, FakeAppliance.ip("10.1.0.8"), 5000,
                FakeAppliance.ip("10.0.0.101"), 80, FakeAppliance.ip("10.1.0.8"), 5000, FakeAppliance.ip("10.0.0.3"),
                80, ConnectionState.SYN_RECV, 59_000);
    }

    @Test
    void fullNatShowsItsLocalAddressAsDpvs() {
        DaemonHooks.ConnectionList l = ControlExtension.toList(new ConnectionListing(List.of(fnat(), dr()), 2,
                100, List.of()));
        assertNull(l.note());
        assertEquals("""
                IPVS connection entries
                pro expire state       source             virtual            local              destination
                TCP 14:59  ESTABLISHED 10.1.0.9:41234     10.0.0.100:80      10.0.1.1:5002      10.0.0.2:8080
                TCP 00:59  SYN_RECV    10.1.0.8:5000      10.0.0.101:80      10.1.0.8:5000      10.0.0.3:80
                """, IpvsText.connections(l.entries()));
    }

    @Test
    void withoutFullNatTheLayoutIsIpvsadms() {
        DaemonHooks.ConnectionList l = ControlExtension.toList(new ConnectionListing(List.of(dr()), 1, 100,
                List.of()));
        assertEquals("""
                IPVS connection entries
                pro expire state       source             virtual            destination
                TCP 00:59  SYN_RECV    10.1.0.8:5000      10.0.0.101:80      10.0.0.3:80
                """, IpvsText.connections(l.entries()));
    }

    @Test
    void cappedAndUnansweredAreSaid() {
        DaemonHooks.ConnectionList l = ControlExtension.toList(new ConnectionListing(List.of(fnat()), 7, 1,
                List.of(1, 3)));
        assertEquals("listing capped: 1 of 7 connections shown (limit 1); incomplete: dataplane workers 1, 3 did "
                + "not answer within 5000 ms", l.note());
        AdminResponse r = new ControlService(FakeAppliance.golden(), FakeAppliance.golden(), new DaemonHooks() {
            @Override
            public ConnectionList connectionList() {
                return l;
            }
        }).execute(AdminCommandLine.parse(new String[] {"-L", "-n", "-c"}).request());
        assertEquals(0, r.exit());
        assertEquals(l.note() + "\n", r.err());
    }
}
