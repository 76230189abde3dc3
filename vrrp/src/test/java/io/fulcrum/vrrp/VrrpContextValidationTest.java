package io.fulcrum.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Bad configuration is refused before anything starts, with a message naming the instance, keyword and value. */
class VrrpContextValidationTest {

    private static VrrpInstanceSpec.Builder vi(String name, int vrid) {
        return VrrpInstanceSpec.builder(name).interfaceName("eth0").vrid(vrid).vip("10.0.0.100/24");
    }

    private static String error(Supplier<?> s) {
        return assertThrows(IllegalArgumentException.class, s::get).getMessage();
    }

    @Test
    void specFieldsAreChecked() {
        assertEquals("vrrp_instance VI_1: virtual_router_id 300 out of range 1..255",
                error(() -> vi("VI_1", 300).build()));
        assertEquals("vrrp_instance VI_1: priority 0 out of range 1..255",
                error(() -> vi("VI_1", 1).priority(0).build()));
        assertEquals("vrrp_instance VI_1: advert_int 1.5 s invalid for VRRPv2: whole seconds 1..255",
                error(() -> vi("VI_1", 1).advertIntervalCentis(150).build()));
        assertEquals("vrrp_instance VI_1: cannot use IPv6 with VRRP version 2 (set version 3)",
                error(() -> VrrpInstanceSpec.builder("VI_1").interfaceName("eth0").vrid(1).vip("fd00::1/64")
                        .build()));
        assertEquals("vrrp_instance VI_1: auth_type PASS needs VRRP version 2",
                error(() -> vi("VI_1", 1).version(3).authPass("x").build()));
        assertEquals("'10.0.0.300' is not an IPv4 or IPv6 address", error(() -> vi("VI_1", 1).vip("10.0.0.300")));
        assertEquals("vrrp_script chk: weight 300 out of range -253..253",
                error(() -> new VrrpScriptSpec("chk", "true", 1000, 0, 300, 1, 1, null, false)));
    }

    @Test
    void theWholeContextIsChecked() {
        Supplier<VrrpContext> base = () -> new VrrpContext().transport(() -> {
            throw new AssertionError("never started");
        });
        assertEquals("vrrp_instance VI_2: virtual_router_id 1 already used on eth0 for IPv4",
                error(() -> base.get().instance(vi("VI_1", 1).build()).instance(vi("VI_2", 1).build()).conclude()));
        assertEquals("vrrp_instance VI_1: defined twice",
                error(() -> base.get().instance(vi("VI_1", 1).build()).instance(vi("VI_1", 2).build()).conclude()));
        assertEquals("vrrp_instance VI_1: track_script chk has no vrrp_script",
                error(() -> base.get().instance(vi("VI_1", 1).trackScript("chk", null, false).build()).conclude()));
        assertEquals("vrrp_sync_group G1: member VI_9 is not a vrrp_instance",
                error(() -> base.get().instance(vi("VI_1", 1).build())
                        .syncGroup(new VrrpSyncGroupSpec("G1", List.of("VI_1", "VI_9"), null)).conclude()));
        assertEquals("VRRP: no transport configured", error(() -> new VrrpContext().conclude()));
    }
}
