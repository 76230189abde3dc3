package io.fulcrum.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.Checksums;
import io.fulcrum.testkit.PacketBuilder;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlyweightTest {

    @Test
    void readsTaggedIpv4TcpWithOptions() {
        byte[] f = PacketBuilder.frame().eth("02:00:00:00:00:01", "02:00:00:00:00:02").vlan(42)
                .ip("198.51.100.7", "192.0.2.10").ttl(33).ipv4Options(new byte[] {1, 1, 1, 1})
                .tcp(40000, 80).flags(PacketBuilder.SYN).tcpOptions(new byte[] {2, 4, 0x05, (byte) 0xb4})
                .build();
        MemorySegment s = MemorySegment.ofArray(f);
        EthernetFlyweight eth = new EthernetFlyweight().wrap(s, 0);
        assertEquals(18, eth.headerLength());
        assertEquals(42, eth.vlanId());
        assertEquals(EthernetFlyweight.TYPE_IPV4, eth.etherType());
        assertEquals(0x020000000001L, eth.source());
        Ipv4Flyweight ip = new Ipv4Flyweight().wrap(s, 18);
        assertEquals(24, ip.headerLength());
        assertEquals(33, ip.ttl());
        assertEquals(6, ip.protocol());
        assertTrue(ip.checksumValid());
        TcpFlyweight tcp = new TcpFlyweight().wrap(s, 18 + 24);
        assertEquals(40000, tcp.sourcePort());
        assertEquals(80, tcp.destinationPort());
        assertEquals(1460, tcp.mss());
        assertEquals(TcpFlyweight.SYN, tcp.flags());
    }

    @Test
    void skipsIpv6ExtensionHeaders() {
        byte[] f = PacketBuilder.frame().ip("2001:db8::1", "2001:db8::2").ipv6HopByHop(new byte[] {5, 2, 0, 0})
                .udp(5353, 53).payload(new byte[] {1, 2, 3}).build();
        MemorySegment s = MemorySegment.ofArray(f);
        Ipv6Flyweight ip = new Ipv6Flyweight().wrap(s, 14, f.length - 14);
        assertEquals(17, ip.upperLayerProtocol());
        assertEquals(14 + 48, ip.upperLayerOffset());
        assertEquals(0x20010db800000000L, ip.sourceHi());
        assertEquals(1L, ip.sourceLo());
        UdpFlyweight udp = new UdpFlyweight().wrap(s, ip.upperLayerOffset());
        assertEquals(53, udp.destinationPort());
        assertEquals(11, udp.length());
    }

    @Test
    void incrementalUpdatesMatchFullComputation() {
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] f = PacketBuilder.frame().ip("10.1.2.3", "10.9.8.7").tcp(r.nextInt(65536), 80)
                    .payload(new byte[r.nextInt(40)]).build();
            MemorySegment s = MemorySegment.ofArray(f);
            Ipv4Flyweight ip = new Ipv4Flyweight().wrap(s, 14);
            TcpFlyweight tcp = new TcpFlyweight().wrap(s, 34);
            int newSrc = r.nextInt();
            int newPort = r.nextInt(65536);
            tcp.checksum(InternetChecksum.update32(tcp.checksum(), ip.source(), newSrc));
            tcp.checksum(InternetChecksum.update16(tcp.checksum(), tcp.sourcePort(), newPort));
            tcp.sourcePort(newPort);
            ip.rewriteSource(newSrc);
            ip.decrementTtl();
            assertEquals(java.util.List.of(), Checksums.verifyFrame(f), "iteration " + i);
        }
    }

    @Test
    void ipv6AddressUpdateMatchesFullComputation() {
        Random r = new Random(11);
        for (int i = 0; i < 1000; i++) {
            byte[] f = PacketBuilder.frame().ip("2001:db8::1", "2001:db8::2").udp(1000, 2000)
                    .payload(new byte[r.nextInt(30)]).build();
            MemorySegment s = MemorySegment.ofArray(f);
            Ipv6Flyweight ip = new Ipv6Flyweight().wrap(s, 14, f.length - 14);
            UdpFlyweight udp = new UdpFlyweight().wrap(s, ip.upperLayerOffset());
            long hi = r.nextLong();
            long lo = r.nextLong();
            udp.checksum(InternetChecksum.update128(udp.checksum(), ip.destinationHi(), ip.destinationLo(), hi, lo));
            ip.destination(hi, lo);
            assertEquals(java.util.List.of(), Checksums.verifyFrame(f), "iteration " + i);
        }
    }
}
