package io.fulcrum.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.netlink.Errno;
import io.fulcrum.netlink.NativeException;
import io.fulcrum.testkit.LogCapture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

/** The guard's restore and back-off logic on a virtual clock, with a fake kernel writer. */
class AddressGuardTest {

    private final CachedNanoClock clock = new CachedNanoClock();
    private int writes;
    private boolean exists;

    private AddressGuard guard() {
        clock.update(TimeUnit.SECONDS.toNanos(100));
        return new AddressGuard((i, a, p) -> {
            writes++;
            if (exists) {
                throw new NativeException("RTM_NEWADDR", Errno.EEXIST, "x");
            }
        }, i -> "eth" + i, clock, 3, Duration.ofSeconds(10));
    }

    private static Address addr(String ip) throws Exception {
        return new Address(2, InetAddress.getByName(ip), 24, 0, 0x80, "eth2");
    }

    @Test
    void restoresRemovedAddressAndBacksOffWhenFought() throws Exception {
        AddressGuard g = guard();
        Address a = addr("10.0.0.1");
        try (LogCapture logs = LogCapture.attach()) {
            g.own(2, a.address(), 24, "(VI_1)");
            assertEquals(1, writes);
            assertEquals(0, g.doWork(), "nothing missing");

            for (int i = 0; i < 3; i++) {
                g.onEvent(new NetlinkEvent.AddressRemoved(a, false));
                assertEquals(1, g.doWork());
                clock.advance(TimeUnit.SECONDS.toNanos(1));
            }
            assertEquals(4, writes);
            assertEquals(3, g.restores());
            assertTrue(logs.contains("Netlink: owned address 10.0.0.1/24 of (VI_1) was removed from eth2 by another"
                    + " agent"));
            assertTrue(logs.contains("Netlink: restored owned address 10.0.0.1/24 of (VI_1) on eth2"));

            // Fourth removal within 10 s: the guard backs off instead of spinning.
            g.onEvent(new NetlinkEvent.AddressRemoved(a, false));
            for (int i = 0; i < 100; i++) {
                g.doWork();
            }
            assertEquals(4, writes);
            assertEquals(1, g.backoffs());
            assertEquals(1, logs.count("another agent is fighting Fulcrum over it; backing off for 7000 ms"));

            clock.advance(TimeUnit.SECONDS.toNanos(6));
            assertEquals(0, g.doWork(), "oldest restore still inside the window");
            clock.advance(TimeUnit.SECONDS.toNanos(1));
            assertEquals(1, g.doWork());
            assertEquals(5, writes);
            assertTrue(logs.contains("Netlink: resuming restores of owned address 10.0.0.1/24"));
        }
    }

    @Test
    void waitsForAMissingInterfaceAndFollowsItsNewIndex() throws Exception {
        AddressGuard g = guard();
        Address a = addr("10.0.0.3");
        g.own(2, a.address(), 24, "(VI_3)");
        Link eth2 = new Link(2, "eth2", 1, 0x11043, 6, 1500, "", 0, "");
        g.onEvent(new NetlinkEvent.AddressRemoved(a, false));
        g.onEvent(new NetlinkEvent.LinkRemoved(eth2, false));
        for (int i = 0; i < 10; i++) {
            clock.advance(TimeUnit.SECONDS.toNanos(1));
            assertEquals(0, g.doWork(), "no restore while the interface is gone");
        }
        assertEquals(1, writes);
        g.onEvent(new NetlinkEvent.LinkAdded(new Link(9, "eth2", 1, 0x1002, 2, 1500, "", 0, ""), false));
        assertEquals(1, g.doWork());
        assertEquals(2, writes);
        assertEquals(9, g.ownedAddresses().get(0).ifindex());
    }

    @Test
    void presentAddressAndReleasedAddressAreLeftAlone() throws Exception {
        AddressGuard g = guard();
        Address a = addr("10.0.0.2");
        exists = true;
        g.own(2, a.address(), 24, "(VI_2)"); // EEXIST: already there, fine
        g.onEvent(new NetlinkEvent.AddressRemoved(a, false));
        assertEquals(1, g.doWork());
        assertEquals(1, g.restores(), "EEXIST on restore: someone put it back already");
        assertTrue(g.release(2, a.address(), 24));
        g.onEvent(new NetlinkEvent.AddressRemoved(a, false));
        assertEquals(0, g.doWork());
        assertEquals(2, writes);
        // Removal of an address nobody owns is ignored.
        g.onEvent(new NetlinkEvent.AddressRemoved(addr("10.9.9.9"), false));
        assertEquals(0, g.doWork());
    }
}
