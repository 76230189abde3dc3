package io.fulcrum.dataplane;

import static io.fulcrum.dataplane.Lab.CLIENT_MAC;
import static io.fulcrum.dataplane.Lab.LB0_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.testkit.Checksums;
import io.fulcrum.testkit.PacketBuilder;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames that must grow (TOA, IP-in-IP) in buffers with and without room. */
class FrameRoomTest {

    private static Verdict process(Lab lab, Frame frame) {
        lab.dp.core(0).beginBatch();
        Verdict v = lab.dp.core(0).process(frame);
        lab.dp.core(0).endBatch();
        return v;
    }

    @Test
    void tunnelWithoutHeadroomShiftsIntoTailroomOrDrops() {
        try (Lab lab = new Lab(false)) {
            byte[] syn = PacketBuilder.frame().eth(CLIENT_MAC, LB0_MAC).ip(lab.client, lab.vip(ForwardingMethod.TUN))
                    .tcp(40000, 80).flags(PacketBuilder.SYN).build();
            // No headroom, 20 bytes of tailroom: the IP packet moves forward behind the Ethernet header.
            MemorySegment roomy = MemorySegment.ofArray(new byte[syn.length + 20]);
            MemorySegment.copy(MemorySegment.ofArray(syn), 0, roomy, 0, syn.length);
            Frame f = new Frame().wrap(roomy, 0, 0, syn.length, roomy.byteSize(), 0);
            assertEquals(Verdict.TX, process(lab, f));
            assertEquals(syn.length + 20, f.length());
            byte[] out = roomy.asSlice(f.offset(), f.length()).toArray(ValueLayout.JAVA_BYTE);
            assertEquals(List.of(), Checksums.verifyFrame(out));
            assertEquals(4, out[14 + 9], "outer protocol IPIP");
            // Neither headroom nor tailroom: dropped, counted.
            byte[] syn2 = PacketBuilder.frame().eth(CLIENT_MAC, LB0_MAC).ip(lab.client2, lab.vip(ForwardingMethod.TUN))
                    .tcp(40001, 80).flags(PacketBuilder.SYN).build();
            MemorySegment tight = MemorySegment.ofArray(syn2.clone());
            Frame g = new Frame().wrap(tight, 0, 0, syn2.length, tight.byteSize(), 0);
            assertEquals(Verdict.DROP, process(lab, g));
            assertEquals(DataplaneCounter.DROP_NO_ROOM, g.dropReason());
        }
    }

    @Test
    void toaWithoutTailroomIsSkippedAndCounted() {
        try (Lab lab = new Lab(true)) {
            byte[] syn = PacketBuilder.frame().eth(CLIENT_MAC, LB0_MAC).ip(lab.client, lab.vip(ForwardingMethod.FNAT))
                    .tcp(40000, 443).flags(PacketBuilder.SYN).build();
            MemorySegment tight = MemorySegment.ofArray(syn.clone());
            Frame f = new Frame().wrap(tight, 0, 0, syn.length, tight.byteSize(), 0);
            assertEquals(Verdict.TX, process(lab, f));
            assertEquals(syn.length, f.length(), "no TOA without room");
            assertEquals(1, lab.dp.counters().total(DataplaneCounter.TOA_NO_SPACE));
            assertEquals(0, lab.dp.counters().total(DataplaneCounter.TOA_INSERTED));
            assertEquals(List.of(), Checksums.verifyFrame(tight.toArray(ValueLayout.JAVA_BYTE)));
        }
    }
}
