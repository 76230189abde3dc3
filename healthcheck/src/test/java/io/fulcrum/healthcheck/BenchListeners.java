package io.fulcrum.healthcheck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The scale benchmark's real servers, run as a separate process (its own session, so its CPU is not charged to the
 * checker's): {@code count} listeners on 127.0.0.1..127.0.0.count port {@code port} that accept and close.
 */
public final class BenchListeners {

    private BenchListeners() {
    }

    /** Arguments: count port. Runs until killed. */
    public static void main(String[] args) throws IOException {
        int count = Integer.parseInt(args[0]);
        int port = Integer.parseInt(args[1]);
        Selector sel = Selector.open();
        for (int i = 1; i <= count; i++) {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + i), port), 65535);
            s.configureBlocking(false);
            s.register(sel, SelectionKey.OP_ACCEPT);
        }
        System.out.println("listening");
        System.out.flush();
        while (true) {
            sel.select();
            for (SelectionKey k : sel.selectedKeys()) {
                ServerSocketChannel s = (ServerSocketChannel) k.channel();
                SocketChannel c;
                while ((c = s.accept()) != null) {
                    c.close();
                }
            }
            sel.selectedKeys().clear();
        }
    }
}
