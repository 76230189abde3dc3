package io.fulcrum.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.vrrp.packet.VrrpPacketFlyweight;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table test (Katran style): (malformed packet, expected counter) — each is dropped and counted, the engine keeps its
 * state, and a BACKUP still times out on schedule because the packet did not reset its timer.
 */
class MalformedAdvertTest {

    private static final byte[] SRC = {10, 0, 0, 2};
    private static final byte[] GROUP = {(byte) 224, 0, 0, 18};

    /** A valid advert from 10.0.0.2 for VRID 51 with priority 200, in the given version. */
    static byte[] valid(int version, String pass) {
        int len = VrrpPacketFlyweight.messageLength(version, 4, 1);
        byte[] b = new byte[len];
        VrrpPacketFlyweight f = new VrrpPacketFlyweight().wrap(MemorySegment.ofArray(b), 0);
        f.versionType(version, 1).vrid(51).priority(200).addressCount(1).address(0, new byte[] {10, 0, 0, 100});
        if (version == 2) {
            f.authType(pass == null ? 0 : 1).adverIntSeconds(1);
            byte[] p8 = new byte[8];
            if (pass != null) {
                System.arraycopy(pass.getBytes(), 0, p8, 0, Math.min(8, pass.length()));
            }
            f.authData(1, p8);
            f.checksum(0).checksum(f.computeV2Checksum(len));
        } else {
            f.maxAdverIntCentis(100);
            f.checksum(0).checksum(f.computeV3Checksum(len, SRC, GROUP));
        }
        return b;
    }

    private static byte[] fix(int version, byte[] b) {
        VrrpPacketFlyweight f = new VrrpPacketFlyweight().wrap(MemorySegment.ofArray(b), 0);
        f.checksum(0).checksum(version == 2 ? f.computeV2Checksum(b.length) : f.computeV3Checksum(b.length, SRC,
                GROUP));
        return b;
    }

    record Case(String name, int version, String pass, Function<byte[], InMemoryLan.Frame> frame, VrrpStat stat) {
        @Override
        public String toString() {
            return name;
        }
    }

    static InMemoryLan.Frame frame(byte[] b) {
        return new InMemoryLan.Frame(b, SRC, GROUP, 255, true, false);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("bad checksum v3", 3, null, b -> {
                    b[7] ^= 0x55;
                    return frame(b);
                }, VrrpStat.CHECKSUM_ERR),
                new Case("bad checksum v2", 2, "secret", b -> {
                    b[6] ^= 0x01;
                    return frame(b);
                }, VrrpStat.CHECKSUM_ERR),
                new Case("TTL 254", 3, null, b -> new InMemoryLan.Frame(b, SRC, GROUP, 254, true, false),
                        VrrpStat.IP_TTL_ERR),
                new Case("wrong VRID", 3, null, b -> {
                    b[1] = 52;
                    return frame(fix(3, b));
                }, VrrpStat.VRID_ERR),
                new Case("truncated", 3, null, b -> frame(Arrays.copyOf(b, b.length - 2)), VrrpStat.PACKET_LEN_ERR),
                new Case("too short for a header", 3, null, b -> frame(Arrays.copyOf(b, 5)), VrrpStat.PACKET_LEN_ERR),
                new Case("wrong password", 2, "bad", b -> frame(b), VrrpStat.AUTH_FAILURE),
                new Case("auth type NONE against PASS", 2, null, b -> frame(b), VrrpStat.AUTHTYPE_MISMATCH),
                new Case("unknown auth type", 2, "secret", b -> {
                    b[4] = 7;
                    return frame(fix(2, b));
                }, VrrpStat.INVALID_AUTHTYPE),
                new Case("wrong version", 3, null, b -> {
                    b[0] = 0x41;
                    return frame(fix(3, b));
                }, VrrpStat.VERSION_ERR),
                new Case("wrong type", 3, null, b -> {
                    b[0] = 0x32;
                    return frame(fix(3, b));
                }, VrrpStat.INVALID_TYPE_RCVD),
                new Case("address count mismatch", 3, null, b -> {
                    byte[] c = Arrays.copyOf(b, b.length + 4);
                    c[3] = 2;
                    return frame(fix(3, c));
                }, VrrpStat.ADDR_LIST_ERR),
                new Case("other address", 3, null, b -> {
                    b[11] = 99;
                    return frame(fix(3, b));
                }, VrrpStat.ADDR_LIST_ERR),
                new Case("unicast to a multicast instance", 3, null, b -> {
                    VrrpPacketFlyweight f = new VrrpPacketFlyweight().wrap(MemorySegment.ofArray(b), 0);
                    byte[] dst = {10, 0, 0, 1};
                    f.checksum(0).checksum(f.computeV3Checksum(b.length, SRC, dst));
                    return new InMemoryLan.Frame(b, SRC, dst, 255, false, false);
                }, VrrpStat.ADDR_LIST_ERR),
                new Case("advert interval mismatch v2", 2, "secret", b -> {
                    b[5] = 3;
                    return frame(fix(2, b));
                }, VrrpStat.ADVERT_INTERVAL_ERR)
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void droppedCountedAndHarmless(Case c) {
        for (VrrpState target : new VrrpState[] {VrrpState.BACKUP, VrrpState.MASTER}) {
            EngineHarness h = new EngineHarness();
            VrrpInstanceSpec.Builder b = VrrpInstanceSpec.builder("VI_1").interfaceName("eth0").vrid(51)
                    .version(c.version()).priority(100).vip("10.0.0.100/24").garp(0, 1, 0);
            if (c.version() == 2) {
                b.authPass("secret");
            }
            VrrpAgent a = h.engine("10.0.0.1", null, ctx -> ctx.instance(b.build()));
            h.startAll();
            if (target == VrrpState.MASTER) {
                h.runUntil(5000, () -> a.instance("VI_1").state() == VrrpState.MASTER);
            }
            VrrpCounters counters = a.counters();
            int row = c.stat() == VrrpStat.VRID_ERR || c.name().startsWith("too short") ? counters.engineRow() : 0;
            long before = counters.get(row, c.stat());
            long rcvdBefore = a.stat("VI_1", VrrpStat.ADVERT_RCVD);
            // a higher-priority advert (200) would demote a MASTER / reset a BACKUP's timer if it were accepted
            for (int i = 0; i < 10; i++) {
                h.node(0).inject(c.frame().apply(valid(c.version(), c.pass())));
                h.run(300);
            }
            assertEquals(before + 10, counters.get(row, c.stat()), c.name() + " in " + target);
            assertEquals(target, a.instance("VI_1").state(), c.name() + " changed the state");
            if (c.stat() != VrrpStat.ADDR_LIST_ERR || c.name().startsWith("unicast")) {
                assertEquals(rcvdBefore, a.stat("VI_1", VrrpStat.ADVERT_RCVD), c.name());
            }
        }
    }

    @ParameterizedTest(name = "valid v{0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
    void theValidPacketIsAcceptedAndDemotesAMaster(int version) {
        EngineHarness h = new EngineHarness();
        VrrpInstanceSpec.Builder b = VrrpInstanceSpec.builder("VI_1").interfaceName("eth0").vrid(51).version(version)
                .priority(100).vip("10.0.0.100/24").garp(0, 1, 0);
        if (version == 2) {
            b.authPass("secret");
        }
        VrrpAgent a = h.engine("10.0.0.1", null, ctx -> ctx.instance(b.build()));
        h.startAll();
        h.runUntil(5000, () -> a.instance("VI_1").state() == VrrpState.MASTER);
        h.node(0).inject(frame(valid(version, version == 2 ? "secret" : null)));
        h.run(1);
        assertEquals(VrrpState.BACKUP, a.instance("VI_1").state());
        assertTrue(a.stat("VI_1", VrrpStat.ADVERT_RCVD) >= 1);
    }
}
