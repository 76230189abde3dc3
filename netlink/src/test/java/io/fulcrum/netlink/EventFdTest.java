package io.fulcrum.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** eventfd wake-ups through poll, and a classic BPF filter on a loopback UDP socket (no root needed). */
class EventFdTest {

    @Test
    void signalWakesPollFromAnotherThread() throws Exception {
        try (EventFd ev = new EventFd()) {
            PollSet poll = new PollSet(1);
            int slot = poll.add(ev.fd(), PollSet.POLLIN);
            assertEquals(0, poll.poll(0));
            Thread t = Thread.ofPlatform().start(() -> {
                ev.signal();
                ev.signal();
            });
            t.join();
            assertEquals(1, poll.poll(1000));
            assertTrue(poll.readable(slot));
            assertEquals(2, ev.drain());
            assertEquals(0, ev.drain());
            assertEquals(0, poll.poll(0));
        }
    }

    @Test
    void classicFilterDropsEverything() {
        try (Arena arena = Arena.ofConfined();
             LinuxSocket rx = LinuxSocket.open(LinuxSocket.AF_INET, LinuxSocket.SOCK_DGRAM, 0);
             LinuxSocket tx = LinuxSocket.open(LinuxSocket.AF_INET, LinuxSocket.SOCK_DGRAM, 0)) {
            rx.bind(SockAddr.inet4(0x7f000001, 0));
            rx.nonBlocking(true);
            SockAddr dest = rx.localAddress(new SockAddr());
            MemorySegment buf = arena.allocate(64);
            tx.sendTo(buf, 0, 10, dest);
            assertEquals(10, rx.recv(buf, 0, 64));
            // BPF_RET | BPF_K, k = 0: accept nothing.
            MemorySegment prog = arena.allocate(8);
            prog.set(ValueLayout.JAVA_SHORT, 0, (short) 0x06);
            prog.set(ValueLayout.JAVA_INT, 4, 0);
            rx.attachClassicFilter(prog, 1);
            tx.sendTo(buf, 0, 10, dest);
            assertEquals(-1, rx.recv(buf, 0, 64), "filtered out");
        }
    }
}
