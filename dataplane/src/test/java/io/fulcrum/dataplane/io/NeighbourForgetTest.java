package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.NeighbourTable;
import io.fulcrum.dataplane.io.arp.KernelNeighbourTable;
import io.fulcrum.dataplane.packet.AddressWords;
import io.fulcrum.netlink.rtnl.Neighbour;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelNeighbourTable} forgets neighbours the kernel deleted ({@code RTM_DELNEIGH}) or failed to resolve
 * ({@code NUD_FAILED}), and its backward-shift deletion keeps every other entry findable however the probe clusters
 * lie.
 */
class NeighbourForgetTest {

    private static InetAddress v4(int i) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 9, (byte) (i >> 8), (byte) i});
    }

    private static long mac(InetAddress a) {
        return KernelNeighbourTable.parseMac("02:00:00:00:00:01") + (AddressWords.lo(a) & 0xFFFF);
    }

    @Test
    void deletionKeepsEveryOtherEntryFindable() throws Exception {
        KernelNeighbourTable t = new KernelNeighbourTable(new int[] {7}, 32, SystemNanoClock.INSTANCE);
        Random rnd = new Random(42);
        Map<InetAddress, Long> live = new HashMap<>();
        for (int round = 0; round < 5_000; round++) {
            InetAddress a = v4(rnd.nextInt(48));
            if (rnd.nextBoolean() && live.size() < 30) {
                t.putNeighbour(a, mac(a));
                live.put(a, mac(a));
            } else {
                assertEquals(live.remove(a) != null, t.remove(AddressWords.hi(a), AddressWords.lo(a)));
            }
            for (int i = 0; i < 48; i++) {
                InetAddress b = v4(i);
                Long want = live.get(b);
                assertEquals(want == null ? NeighbourTable.MISS : (long) want,
                        t.lookupMac(AddressWords.hi(b), AddressWords.lo(b)), "round " + round + " address " + b);
            }
        }
    }

    @Test
    void deletedAndFailedNeighboursAreForgottenOnlyOnThePortsInterfaces() throws Exception {
        KernelNeighbourTable t = new KernelNeighbourTable(new int[] {7}, 16, SystemNanoClock.INSTANCE);
        InetAddress a = v4(1);
        InetAddress b = v4(2);
        long hiA = AddressWords.hi(a);
        long loA = AddressWords.lo(a);
        t.onNeighbour(new Neighbour(7, a, "02:00:00:00:00:aa", 0x80), false);
        t.onNeighbour(new Neighbour(7, b, "02:00:00:00:00:bb", 0x02), false);
        assertEquals(0x02_00_00_00_00_aaL, t.lookupMac(hiA, loA));

        t.onNeighbour(new Neighbour(8, a, null, 0x20), false); // another interface: not ours
        assertEquals(0x02_00_00_00_00_aaL, t.lookupMac(hiA, loA));

        t.onNeighbour(new Neighbour(7, a, null, 0x00), true); // RTM_DELNEIGH
        assertEquals(NeighbourTable.MISS, t.lookupMac(hiA, loA));
        assertEquals(0x02_00_00_00_00_bbL, t.lookupMac(AddressWords.hi(b), AddressWords.lo(b)));

        t.onNeighbour(new Neighbour(7, b, null, 0x20), false); // NUD_FAILED
        assertEquals(NeighbourTable.MISS, t.lookupMac(AddressWords.hi(b), AddressWords.lo(b)));
        assertEquals(2, t.forgotten());
        assertFalse(t.remove(hiA, loA));

        t.onNeighbour(new Neighbour(7, a, "02:00:00:00:00:cc", 0x02), false); // learned again
        assertTrue(t.lookupMac(hiA, loA) == 0x02_00_00_00_00_ccL);
    }
}
