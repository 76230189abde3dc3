package io.fulcrum.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** RFC 5952 formatting against the forms {@code ip} prints. */
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
