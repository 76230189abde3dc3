package io.fulcrum.appliance.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.appliance.ApplianceCommands.Result;
import io.fulcrum.appliance.ApplianceCommands.ServiceDefinition;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.LocalAddressPoolSpec;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceKey;
import io.fulcrum.dataplane.service.ServiceTableSpec;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The control plane's desired table: health → weights, ownership, reload carry-over, commands and undo. */
class ServiceModelTest {

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    static final ServiceKey KEY;

    static {
        try {
            KEY = new ServiceKey(Protocol.TCP, ip("10.0.0.100"), 80);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static SpecMapper.ServicePlan plan(int... weights) throws Exception {
        List<RealServerSpec> rs = new java.util.ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            rs.add(new RealServerSpec(ip("10.0.1." + (i + 1)), 8080, weights[i]));
        }
        VirtualServiceSpec vs = new VirtualServiceSpec(Protocol.TCP, ip("10.0.0.100"), 80, SchedulerKind.WRR,
                ForwardingMethod.FNAT, 0, false, false, "lg", rs);
        return new SpecMapper.ServicePlan(List.of(vs), List.of(new LocalAddressPoolSpec("lg", List.of(ip("10.0.2.1")))),
                List.of());
    }

    static List<Integer> weights(ServiceTableSpec s) {
        return s.services().getFirst().realServers().stream().map(RealServerSpec::weight).toList();
    }

    @Test
    void downServerDrainsAtWeightZeroAndComesBackWithItsWeight() throws Exception {
        ServiceModel m = new ServiceModel();
        m.apply(plan(3, 5), Set.of());
        assertEquals(List.of(3, 5), weights(m.toSpec()));
        assertTrue(m.health(KEY, ip("10.0.1.2"), 8080, false, 0, 1));
        assertEquals(List.of(3, 0), weights(m.toSpec()));
        assertFalse(m.health(KEY, ip("10.0.1.2"), 8080, false, 0, 2), "same verdict: no republish");
        assertTrue(m.health(KEY, ip("10.0.1.2"), 8080, true, 7, 3), "dynamic weight from the checker");
        assertEquals(List.of(3, 7), weights(m.toSpec()));
        assertFalse(m.health(KEY, ip("10.9.9.9"), 8080, false, 0, 4), "unknown real server ignored");
    }

    @Test
    void vipsOwnedOnlyWhileMasterUnlessNoVrrpInstanceHoldsThem() throws Exception {
        ServiceModel m = new ServiceModel();
        m.apply(plan(1), Set.of(ip("10.0.0.100")));
        assertEquals(List.of(), m.toSpec().ownedAddresses());
        assertTrue(m.own(List.of(ip("10.0.0.100"))));
        assertFalse(m.own(List.of(ip("10.0.0.100"))), "idempotent");
        assertEquals(List.of(ip("10.0.0.100")), m.toSpec().ownedAddresses());
        assertTrue(m.disown(List.of(ip("10.0.0.100"))));
        assertFalse(m.disown(List.of(ip("10.0.0.100"))));
        assertEquals(List.of(), m.toSpec().ownedAddresses());
        m.apply(plan(1), Set.of());
        assertEquals(List.of(ip("10.0.0.100")), m.toSpec().ownedAddresses(), "no VRRP: always owned");
        assertEquals(List.of(ip("10.0.2.1")), m.localAddresses());
    }

    @Test
    void reloadKeepsTheHealthOfUnchangedRealServers() throws Exception {
        ServiceModel m = new ServiceModel();
        m.apply(plan(3, 5), Set.of());
        m.health(KEY, ip("10.0.1.2"), 8080, false, 0, 1);
        m.apply(plan(3, 5, 2), Set.of());
        assertEquals(List.of(3, 0, 2), weights(m.toSpec()), "down server stays down, new one starts up");
        m.apply(plan(4), Set.of());
        assertEquals(List.of(4), weights(m.toSpec()), "removed servers leave, a weight edit applies");
    }

    @Test
    void commandsCheckPreconditionsAndSayWhatIsWrong() throws Exception {
        ServiceModel m = new ServiceModel();
        m.apply(plan(1), Set.of());
        ServiceKey other = new ServiceKey(Protocol.TCP, ip("10.0.0.101"), 80);
        assertEquals(Result.error("service already exists: [10.0.0.100]:tcp:80"),
                m.addService(new ServiceDefinition(KEY, SchedulerKind.RR, ForwardingMethod.NAT, 0, null)));
        assertEquals("no such service: [10.0.0.101]:tcp:80", m.deleteService(other).message());
        assertEquals("destination already exists: [10.0.1.1]:8080",
                m.addRealServer(KEY, ip("10.0.1.1"), 8080, 1).message());
        assertEquals("no such destination: [10.0.1.9]:8080 in [10.0.0.100]:tcp:80",
                m.editRealServer(KEY, ip("10.0.1.9"), 8080, 1).message());
        assertFalse(m.editRealServer(KEY, ip("10.0.1.1"), 8080, 70000).ok());
        assertTrue(m.addRealServer(KEY, ip("10.0.1.2"), 8080, 4).ok());
        assertTrue(m.editRealServer(KEY, ip("10.0.1.1"), 8080, 9).ok());
        assertEquals(List.of(9, 4), weights(m.toSpec()));
        assertTrue(m.deleteRealServer(KEY, ip("10.0.1.2"), 8080).ok());
        assertTrue(m.addService(new ServiceDefinition(other, SchedulerKind.RR, ForwardingMethod.NAT, 0, null)).ok());
        assertEquals(2, m.toSpec().services().size());
        assertFalse(m.addService(new ServiceDefinition(new ServiceKey(Protocol.TCP, ip("10.0.0.102"), 80),
                SchedulerKind.RR, ForwardingMethod.FNAT, 0, null)).ok(), "FNAT needs a local address group");
    }

    @Test
    void copyAndRestoreUndoAFailedChange() throws Exception {
        ServiceModel m = new ServiceModel();
        m.apply(plan(1, 2), Set.of());
        ServiceModel undo = m.copy();
        m.deleteService(KEY);
        assertEquals(0, m.toSpec().services().size());
        m.restore(undo);
        assertEquals(List.of(1, 2), weights(m.toSpec()));
    }
}
