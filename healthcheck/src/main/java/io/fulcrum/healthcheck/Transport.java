package io.fulcrum.healthcheck;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty transport the checkers use: native epoll when available, else NIO, chosen once with the reason logged once.
 *
 * <p>Immutable after class initialisation; safe from any thread.
 */
record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends SocketChannel> socketChannel,
                 Class<? extends DatagramChannel> datagramChannel) {

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static volatile boolean logged;

    /** The best transport: epoll unless unavailable or {@code forceNio}. */
    static Transport select(boolean forceNio) {
        if (!forceNio && Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollSocketChannel.class,
                    EpollDatagramChannel.class);
        }
        if (!logged) {
            logged = true;
            if (forceNio) {
                LOG.info("Health checks use the NIO transport (epoll disabled by configuration)");
            } else {
                Throwable cause = Epoll.unavailabilityCause();
                LOG.warn("Native epoll unavailable, health checks fall back to NIO: {}",
                        cause == null ? "unknown" : cause.toString());
            }
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioSocketChannel.class, NioDatagramChannel.class);
    }
}
