package io.fulcrum.dataplane.io.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.PacketBuilder;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Frames whose transport checksum a local sender left to offload (TP_STATUS_CSUMNOTREADY: the field holds the folded
 * pseudo-header sum) are completed to exactly the checksum the packet builder computes independently.
 */
class PartialChecksumTest {

    private static int sum16(byte[] b, int off, int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xFF) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    @ParameterizedTest
    @CsvSource({"4,tcp,false", "4,udp,false", "6,tcp,false", "6,udp,false", "4,tcp,true", "6,udp,true"})
    void partialChecksumIsCompleted(int family, String proto, boolean vlan) {
        PacketBuilder b = PacketBuilder.frame().eth("02:00:00:00:00:01", "02:00:00:00:00:02");
        if (vlan) {
            b.vlan(7);
        }
        b.ip(family == 4 ? "10.0.1.2" : "fd00:1::2", family == 4 ? "10.0.1.100" : "fd00:1::100");
        if (proto.equals("tcp")) {
            b.tcp(40000, 80).flags(PacketBuilder.ACK);
        } else {
            b.udp(40000, 53);
        }
        byte[] good = b.payload("GET / HTTP/1.1\r\nHost: x\r\n\r\n!".getBytes()).build();
        int l3 = vlan ? 18 : 14;
        int l4 = family == 4 ? l3 + (good[l3] & 0x0F) * 4 : l3 + 40;
        int l4len = good.length - l4;
        int field = l4 + (proto.equals("tcp") ? 16 : 6);
        int p = proto.equals("tcp") ? 6 : 17;
        // the pseudo-header sum a sender leaves in the field (folded, not complemented)
        int pseudo = family == 4 ? sum16(good, l3 + 12, 8) : sum16(good, l3 + 8, 32);
        long s = (long) pseudo + p + l4len;
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        byte[] partial = good.clone();
        partial[field] = (byte) (s >>> 8);
        partial[field + 1] = (byte) s;
        MemorySegment seg = MemorySegment.ofArray(partial);
        assertNotEquals(java.util.HexFormat.of().formatHex(good), java.util.HexFormat.of().formatHex(partial));
        assertTrue(TpacketV3Port.completeChecksum(seg, 0, partial.length));
        assertArrayEquals(good, partial);
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void fragmentsAndOtherProtocolsAreLeftAlone(boolean fragment) {
        byte[] f = fragment
                ? PacketBuilder.frame().eth("02:00:00:00:00:01", "02:00:00:00:00:02").ip("10.0.1.2", "10.0.1.100")
                        .udp(1, 2).payload(new byte[40]).build()
                : PacketBuilder.frame().eth("02:00:00:00:00:01", "02:00:00:00:00:02").ip("10.0.1.2", "10.0.1.100")
                        .icmpEcho(1, 1).build();
        if (fragment) {
            f[14 + 6] |= 0x20; // more fragments
        }
        byte[] before = f.clone();
        assertFalse(TpacketV3Port.completeChecksum(MemorySegment.ofArray(f), 0, f.length));
        assertArrayEquals(before, f);
    }
}
