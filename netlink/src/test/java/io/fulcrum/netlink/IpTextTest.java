package io.fulcrum.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** RFC 5952 formatting against the forms {@code ip} prints, keepalived's bracketed form, and literal parsing. */
class IpTextTest {

    private static String f(String ip) throws Exception {
        return IpText.format(InetAddress.getByName(ip));
    }

    @Test
    void formatsLikeIproute2() throws Exception {
        assertEquals("10.0.0.1", f("10.0.0.1"));
        assertEquals("::1", f("::1"));
        assertEquals("::", f("::"));
        assertEquals("fe80::1", f("fe80:0:0:0:0:0:0:1"));
        assertEquals("fd00:7::1", f("fd00:7:0:0:0:0:0:1"));
        assertEquals("2001:db8:0:1:1:1:1:1", f("2001:db8:0:1:1:1:1:1"), "a single zero group is not compressed");
        assertEquals("2001:db8::1:0:0:1", f("2001:db8:0:0:1:0:0:1"), "first of equal runs");
        assertEquals("2001:0:0:1::1", f("2001:0:0:1:0:0:0:1"), "longest run");
        assertEquals("ff02::12", f("ff02::12"));
        assertEquals("1::", f("1:0:0:0:0:0:0:0"));
    }

    @Test
    void formatsIpv4AndRawBytes() throws Exception {
        assertEquals("0.0.0.0", f("0.0.0.0"));
        assertEquals("255.255.255.255", f("255.255.255.255"));
        assertEquals("192.168.1.10", IpText.format(new byte[] {(byte) 192, (byte) 168, 1, 10}));
        byte[] v6 = new byte[16];
        v6[0] = (byte) 0xfe;
        v6[1] = (byte) 0x80;
        v6[15] = 1;
        assertEquals("fe80::1", IpText.format(v6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpText.format(new byte[5]));
        assertEquals("not an IP address: 5 bytes", e.getMessage());
    }

    @Test
    void compressionRules() throws Exception {
        assertEquals("2001:db8::", f("2001:db8:0:0:0:0:0:0"), "trailing run");
        assertEquals("0:1:2:3:4:5:6:7", f("0:1:2:3:4:5:6:7"), "a lone leading zero group stays");
        assertEquals("1:2:3:4:5:6:7:0", f("1:2:3:4:5:6:7:0"), "a lone trailing zero group stays");
        assertEquals("::3:4:5:6:7:8", f("0:0:3:4:5:6:7:8"), "leading run of two");
        assertEquals("1:0:0:4::8", f("1:0:0:4:0:0:0:8"), "longer later run wins");
        assertEquals("2001:db8::abcd", f("2001:0DB8:0000:0000:0000:0000:0000:ABCD"), "lower case, no leading zeros");
        assertEquals("1:0:0:2::", f("1:0:0:2:0:0:0:0"), "longer trailing run wins");
    }

    @Test
    void ipv4MappedAndScope() throws Exception {
        // The JDK turns an IPv4-mapped literal into the IPv4 address itself, so callers print it dotted.
        assertEquals("10.0.0.1", f("::ffff:10.0.0.1"));
        // From raw 16 bytes the mapped form prints as plain hex groups (the behaviour every caller had before the
        // copies were merged; glibc's inet_ntop would print ::ffff:10.0.0.1).
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1;
        assertEquals("::ffff:a00:1", IpText.format(mapped));
        assertEquals("::a00:1", f("::10.0.0.1"), "IPv4-compatible form is plain IPv6");
        // The scope is not part of the text.
        Inet6Address scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
        assertEquals("fe80::1", IpText.format(scoped));
    }

    @Test
    void bracketedAsKeepalivedPrintsServices() throws Exception {
        assertEquals("[10.0.0.2]", IpText.bracketed(InetAddress.getByName("10.0.0.2")));
        assertEquals("[::1]", IpText.bracketed(InetAddress.getByName("::1")));
        assertEquals("[2001:db8::1]", IpText.bracketed(InetAddress.getByName("2001:db8:0:0:0:0:0:1")));
    }

    @Test
    void parsesLiterals() throws Exception {
        assertEquals(InetAddress.getByName("10.0.0.1"), IpText.parse("10.0.0.1"));
        assertInstanceOf(Inet4Address.class, IpText.parse("255.255.255.255"));
        assertEquals("0.0.0.0", IpText.format(IpText.parse("0.0.0.0")));
        assertInstanceOf(Inet6Address.class, IpText.parse("fe80::1"));
        assertEquals("2001:db8::1", IpText.format(IpText.parse("2001:DB8:0:0:0:0:0:1")));
        assertEquals("::", IpText.format(IpText.parse("::")));
        assertEquals("::a00:1", IpText.format(IpText.parse("::10.0.0.1")));
        InetAddress mapped = IpText.parse("::ffff:10.0.0.1");
        assertInstanceOf(Inet4Address.class, mapped);
        assertArrayEquals(new byte[] {10, 0, 0, 1}, mapped.getAddress());
    }

    @Test
    void rejectsWhatIsNotALiteral() {
        for (String bad : new String[] {"", "example.com", "localhost", "10.0.0", "10.1", "10.0.0.256", "010.0.0.1",
                "10.0.0.1.1", " 10.0.0.1", "10.0.0.1/24", "1::2::3", "12345::1", "fe80::1%1", "fe80::1%eth0",
                "[::1]", "::g", "1:2:3:4:5:6:7:8:9"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpText.parse(bad), bad);
            assertEquals("not an IP address: '" + bad + "'", e.getMessage());
        }
        assertEquals("not an IP address: 'null'",
                assertThrows(IllegalArgumentException.class, () -> IpText.parse(null)).getMessage());
    }

    @Test
    void errnoNames() {
        assertEquals("EEXIST", Errno.name(17));
        assertEquals("ENOBUFS", Errno.name(105));
        assertEquals("EPERM", Errno.name(Errno.EPERM));
        assertEquals("errno 4242", Errno.name(4242));
        NativeException e = new NativeException("setsockopt(SO_RCVBUFFORCE)", Errno.EPERM, "socket fd 3", "");
        assertEquals("setsockopt(SO_RCVBUFFORCE) socket fd 3 failed: EPERM (Operation not permitted)",
                e.getMessage());
        assertEquals("RTM_NEWADDR 10.0.0.1/24 dev va failed: EEXIST (File exists); kernel says: ipv4: Address"
                + " already assigned", new NativeException("RTM_NEWADDR", 17, "10.0.0.1/24 dev va",
                "ipv4: Address already assigned").getMessage());
    }
}
