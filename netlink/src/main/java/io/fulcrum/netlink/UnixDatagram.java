package io.fulcrum.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Sends one datagram to an {@code AF_UNIX} {@code SOCK_DGRAM} socket by path, as {@code sd_notify(3)} does towards
 * {@code $NOTIFY_SOCKET} (a leading {@code @} names an abstract-namespace socket).
 *
 * <p>Stateless; any thread.
 */
public final class UnixDatagram {

    /** {@code AF_UNIX}. */
    public static final int AF_UNIX = 1;
    private static final int SUN_PATH_MAX = 108;

    private UnixDatagram() {
    }

    /**
     * Sends {@code message} to the socket at {@code path}.
     *
     * @throws IllegalArgumentException when the path does not fit {@code sun_path}
     * @throws NativeException naming the call and errno when the kernel refuses
     */
    public static void send(String path, byte[] message) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = p.length > 0 && p[0] == '@';
        if (p.length == 0 || p.length >= SUN_PATH_MAX) {
            throw new IllegalArgumentException("unix socket path '" + path + "' is empty or longer than "
                    + (SUN_PATH_MAX - 1) + " bytes");
        }
        SockAddr to = new SockAddr();
        MemorySegment s = to.segment();
        s.fill((byte) 0);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) AF_UNIX);
        for (int i = 0; i < p.length; i++) {
            s.set(ValueLayout.JAVA_BYTE, 2 + i, abstractName && i == 0 ? 0 : p[i]);
        }
        to.length(2 + p.length + (abstractName ? 0 : 1));
        try (LinuxSocket sock = LinuxSocket.open(AF_UNIX, LinuxSocket.SOCK_DGRAM, 0);
             Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, message.length));
            MemorySegment.copy(message, 0, buf, ValueLayout.JAVA_BYTE, 0, message.length);
            sock.sendTo(buf, 0, message.length, to);
        }
    }
}
