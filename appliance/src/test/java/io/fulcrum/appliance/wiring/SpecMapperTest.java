package io.fulcrum.appliance.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.appliance.config.ConfigLoader;
import io.fulcrum.appliance.config.KeepalivedConfig;
import io.fulcrum.appliance.config.LoadResult;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.LocalAddressPoolSpec;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import io.fulcrum.healthcheck.CheckSpec;
import io.fulcrum.healthcheck.HealthCheckContext;
import io.fulcrum.healthcheck.VirtualServerCheckSpec;
import io.fulcrum.vrrp.VrrpContext;
import io.fulcrum.vrrp.VrrpInstanceSpec;
import io.fulcrum.vrrp.transport.VrrpTransport;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration → module-spec mapping on the shipped samples under {@code conf/}. */
class SpecMapperTest {

    static KeepalivedConfig load(String name, String id) {
        LoadResult r = ConfigLoader.load(Path.of("..", "conf", name), id);
        assertTrue(r.ok(), r.diagnostics().toString());
        return r.config();
    }

    @Test
    void fullNatSampleMapsToVrrpChecksAndDataplane() throws Exception {
        KeepalivedConfig c = load("fullnat-pair.conf", "lb1");
        SpecMapper.VrrpPlan v = SpecMapper.vrrp(c);
        VrrpInstanceSpec i = v.instances().getFirst();
        assertEquals("VI_FNAT", i.name());
        assertEquals("eth0", i.interfaceName());
        assertEquals(61, i.vrid());
        assertEquals(150, i.priority());
        assertEquals(100, i.advertIntervalCentis());
        assertTrue(i.initialMaster());
        assertEquals(1000, i.garpMasterDelayMillis());
        assertEquals(3, i.garpMasterRepeat());
        assertEquals(InetAddress.getByName("203.0.113.10"), i.virtualAddresses().getFirst().address());
        assertEquals(24, i.virtualAddresses().getFirst().prefixLength());
        assertEquals("eth1", i.trackInterfaces().getFirst().name());
        // the VRRP module's own validation accepts the plan
        VrrpContext ctx = new VrrpContext().transport(() -> (VrrpTransport) null);
        v.instances().forEach(ctx::instance);
        ctx.conclude();

        KeepalivedConfig lb2 = load("fullnat-pair.conf", "lb2");
        VrrpInstanceSpec b = SpecMapper.vrrp(lb2).instances().getFirst();
        assertEquals(100, b.priority());
        assertFalse(b.initialMaster());

        SpecMapper.ServicePlan s = SpecMapper.services(c);
        VirtualServiceSpec vs = s.services().getFirst();
        assertEquals(ForwardingMethod.FNAT, vs.lbKind());
        assertEquals(SchedulerKind.WLC, vs.lbAlgo());
        assertEquals(443, vs.port());
        assertTrue(vs.toa());
        assertTrue(vs.synProxy());
        assertEquals("laddr_g1", vs.localAddressGroup());
        assertEquals(2, vs.realServers().size());
        assertEquals(100, vs.realServers().getFirst().weight());
        LocalAddressPoolSpec pool = s.pools().getFirst();
        assertEquals("laddr_g1", pool.name());
        assertEquals(List.of("10.20.0.200", "10.20.0.201", "10.20.0.202", "10.20.0.203", "10.20.0.210"),
                pool.addresses().stream().map(InetAddress::getHostAddress).toList());
        assertEquals(List.of("eth0", "eth1"), SpecMapper.interfaces(c));

        List<VirtualServerCheckSpec> checks = SpecMapper.checks(c);
        VirtualServerCheckSpec cs = checks.getFirst();
        assertEquals("[203.0.113.10]:tcp:443", cs.label());
        assertTrue(cs.realServers().getFirst().inhibitOnFailure());
        CheckSpec.Tcp tcp = (CheckSpec.Tcp) cs.realServers().getFirst().checks().getFirst();
        assertEquals(Duration.ofSeconds(3), tcp.options().delayLoop(), "delay_loop inherited from the virtual_server");
        assertEquals(Duration.ofSeconds(1), tcp.options().connectTimeout());
        assertEquals(2, tcp.options().retry());
        new HealthCheckContext().virtualServers(checks).conclude();
    }

    @Test
    void everySampleMapsAndPassesEachModulesValidation() {
        for (String name : List.of("dr-pair.conf", "fullnat-pair.conf", "nat-service.conf")) {
            for (String id : List.of("lb1", "lb2")) {
                KeepalivedConfig c = load(name, id);
                SpecMapper.VrrpPlan v = SpecMapper.vrrp(c);
                VrrpContext ctx = new VrrpContext().transport(() -> (VrrpTransport) null);
                v.instances().forEach(ctx::instance);
                v.syncGroups().forEach(ctx::syncGroup);
                v.scripts().forEach(ctx::script);
                ctx.conclude();
                new HealthCheckContext().virtualServers(SpecMapper.checks(c)).conclude();
                SpecMapper.ServicePlan s = SpecMapper.services(c);
                assertEquals(c.virtualServers().size(), s.services().size() + s.skipped().size(), name);
            }
        }
    }

    @Test
    void natSampleUsesDnsDefaultsAndNatMethod() {
        KeepalivedConfig c = load("nat-service.conf", "lb1");
        SpecMapper.ServicePlan s = SpecMapper.services(c);
        assertTrue(s.services().stream().allMatch(x -> x.lbKind() == ForwardingMethod.NAT));
        assertNull(s.services().getFirst().localAddressGroup());
        VirtualServerCheckSpec dns = SpecMapper.checks(c).stream().filter(x -> x.address().port() == 53)
                .findFirst().orElseThrow();
        CheckSpec.Dns d = (CheckSpec.Dns) dns.realServers().getFirst().checks().getFirst();
        assertTrue(d.options().retry() >= 1);
    }

    @Test
    void checkerSettingsInheritFromRealServerThenVirtualServer() {
        LoadResult r = ConfigLoader.load(Path.of("src", "test", "resources", "configs", "good",
                "35-http-regex-alpha.conf"), "lb1");
        assertTrue(r.ok(), r.diagnostics().toString());
        VirtualServerCheckSpec vs = SpecMapper.checks(r.config()).getFirst();
        assertTrue(vs.alpha());
        CheckSpec.Http http = (CheckSpec.Http) vs.realServers().get(0).checks().get(0);
        assertEquals(Boolean.FALSE, http.options().alpha(), "the real server's alpha no");
        assertEquals(Duration.ofSeconds(6), http.options().delayLoop(), "the real server's delay_loop");
        assertEquals(2, http.options().retry(), "the real server's retry");
        assertEquals(Duration.ofSeconds(4), http.options().connectTimeout(), "the virtual server's connect_timeout");
        assertEquals("rs.example.com", http.virtualhost(), "the real server's virtualhost");
        CheckSpec.Url health = http.urls().get(0);
        assertEquals("status: (OK|GOOD)\\s*$", health.regex().pattern());
        assertEquals(List.of("caseless", "multiline"), health.regex().options());
        assertEquals(4096, health.regex().maxOffset());
        assertTrue(http.urls().get(1).regex().noMatch());
        CheckSpec.Tcp tcp = (CheckSpec.Tcp) vs.realServers().get(0).checks().get(1);
        assertEquals(Boolean.TRUE, tcp.options().alpha());
        assertEquals(Duration.ofSeconds(2), tcp.options().connectTimeout());
        CheckSpec.Http second = (CheckSpec.Http) vs.realServers().get(1).checks().get(0);
        assertNull(second.options().alpha(), "inherits the virtual server's alpha");
        assertEquals(Duration.ofSeconds(15), second.options().delayLoop());
        assertEquals("vs.example.com", second.virtualhost());
        assertEquals(Duration.ofSeconds(3), second.options().delayBeforeRetry(), "HTTP_GET's default");
        assertTrue(http.fastRecovery());
        assertFalse(second.fastRecovery());
        CheckSpec.File file = (CheckSpec.File) vs.realServers().get(1).checks().get(1);
        assertEquals(Path.of("/run/fulcrum-test/rs2.drain"), file.file(), "the track_file's file, not its name");
        assertEquals(0, file.weight(), "the track_file's weight");
        assertEquals(0L, file.initValue());
        new HealthCheckContext().virtualServers(List.of(vs)).conclude();
    }
}
