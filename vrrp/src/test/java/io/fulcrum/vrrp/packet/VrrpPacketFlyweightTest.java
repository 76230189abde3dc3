package io.fulcrum.vrrp.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Encoding and checksums, checked against an independent byte-array implementation and a hand-made packet. */
class VrrpPacketFlyweightTest {

    /** RFC 1071 over a byte array, written separately from the code under test. */
    private static int rfc1071(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        byte[] all = new byte[total + 1];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, o, p.length);
            o += p.length;
        }
        long sum = 0;
        for (int i = 0; i < total; i += 2) {
            sum += ((all[i] & 0xff) << 8) | (all[i + 1] & 0xff);
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void v2AdvertMatchesTheRfc3768LayoutAndChecksum() {
        byte[] b = new byte[VrrpPacketFlyweight.messageLength(2, 4, 1)];
        assertEquals(20, b.length);
        VrrpPacketFlyweight f = new VrrpPacketFlyweight().wrap(MemorySegment.ofArray(b), 0);
        f.versionType(2, 1).vrid(51).priority(100).addressCount(1).authType(1).adverIntSeconds(1)
                .address(0, new byte[] {10, 0, 0, 100}).authData(1, "secret\0\0".getBytes());
        f.checksum(f.computeV2Checksum(b.length));
        byte[] expectHead = {0x21, 51, 100, 1, 1, 1};
        for (int i = 0; i < expectHead.length; i++) {
            assertEquals(expectHead[i], b[i], "byte " + i);
        }
        byte[] zeroed = b.clone();
        zeroed[6] = 0;
        zeroed[7] = 0;
        assertEquals(rfc1071(zeroed), f.checksum());
        assertEquals(0, rfc1071(b), "a packet with its checksum sums to zero");
        assertTrue(f.authDataEquals(1, "secret\0\0".getBytes()));
    }

    @Test
    void v3Ipv4ChecksumCoversThePseudoHeader() {
        byte[] b = new byte[VrrpPacketFlyweight.messageLength(3, 4, 2)];
        VrrpPacketFlyweight f = new VrrpPacketFlyweight().wrap(MemorySegment.ofArray(b), 0);
        f.versionType(3, 1).vrid(7).priority(150).addressCount(2).maxAdverIntCentis(10)
                .address(0, new byte[] {10, 0, 0, 100}).address(1, new byte[] {10, 0, 0, 101});
        byte[] src = {10, 0, 0, 1};
        byte[] dst = {(byte) 224, 0, 0, 18};
        f.checksum(f.computeV3Checksum(b.length, src, dst));
        byte[] pseudo = {10, 0, 0, 1, (byte) 224, 0, 0, 18, 0, 112, 0, (byte) b.length};
        byte[] zeroed = b.clone();
        zeroed[6] = 0;
        zeroed[7] = 0;
        assertEquals(rfc1071(pseudo, zeroed), f.checksum());
        assertEquals(10, f.maxAdverIntCentis());
        assertEquals(0x30 | 1, b[0]);
        assertTrue(f.checksumValid(3, b.length, src, dst));
        b[9] ^= 1;
        assertTrue(!f.checksumValid(3, b.length, src, dst));
    }

    @Test
    void v3Ipv6ChecksumCoversThePseudoHeader() throws Exception {
        byte[] b = new byte[VrrpPacketFlyweight.messageLength(3, 16, 1)];
        assertEquals(24, b.length);
        VrrpPacketFlyweight f = new VrrpPacketFlyweight().wrap(MemorySegment.ofArray(b), 0);
        byte[] vip = InetAddress.getByName("fe80::100").getAddress();
        f.versionType(3, 1).vrid(7).priority(150).addressCount(1).maxAdverIntCentis(100).address(0, vip);
        byte[] src = InetAddress.getByName("fe80::1").getAddress();
        byte[] dst = InetAddress.getByName("ff02::12").getAddress();
        f.checksum(f.computeV3Checksum(b.length, src, dst));
        byte[] lenNh = {0, 0, 0, (byte) b.length, 0, 0, 0, 112};
        byte[] zeroed = b.clone();
        zeroed[6] = 0;
        zeroed[7] = 0;
        assertEquals(rfc1071(src, dst, lenNh, zeroed), f.checksum());
        assertTrue(f.containsAddress(1, vip));
    }

    @Test
    void reservedBitsAreIgnoredOnReadAndZeroOnWrite() {
        byte[] b = new byte[8];
        VrrpPacketFlyweight f = new VrrpPacketFlyweight().wrap(MemorySegment.ofArray(b), 0);
        b[4] = (byte) 0xf0;
        b[5] = 0x64;
        assertEquals(100, f.maxAdverIntCentis());
        f.maxAdverIntCentis(4095);
        assertEquals(0x0f, b[4]);
    }
}
