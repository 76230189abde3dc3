package io.fulcrum.healthcheck;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.resolver.NoopAddressResolverGroup;
import java.net.InetSocketAddress;

/**
 * Socket set-up shared by the network checkers: a bootstrap bound to the check's event loop with keepalived's
 * {@code connect_timeout}, {@code bindto} and {@code bind_port}.
 *
 * <p>Stateless helpers; called on the check's event-loop thread.
 */
final class NetProbe {

    /** A handler that does nothing, for connections that are only opened and closed. */
    @ChannelHandler.Sharable
    static final class Quiet extends ChannelInboundHandlerAdapter {
        static final Quiet INSTANCE = new Quiet();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private NetProbe() {
    }

    /**
     * A TCP bootstrap on {@code loop} with the connect timeout of {@code o}. With {@code bindto} and no
     * {@code bind_port} on epoll, {@code IP_BIND_ADDRESS_NO_PORT} lets the kernel choose the source port at connect
     * time for the full 4-tuple (cheaper, and thousands of checks from one source address do not exhaust ports).
     */
    static Bootstrap tcp(EventLoop loop, Transport t, CheckOptions o) {
        Bootstrap b = new Bootstrap().group(loop).channel(t.socketChannel())
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, o.connectTimeout().toMillis()))
                .option(ChannelOption.SO_KEEPALIVE, false);
        if ("epoll".equals(t.name()) && o.bindTo() != null && o.bindPort() == 0) {
            b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        return b;
    }

    /** A UDP bootstrap on {@code loop}. */
    static Bootstrap udp(EventLoop loop, Transport t) {
        return new Bootstrap().group(loop).channel(t.datagramChannel()).resolver(NoopAddressResolverGroup.INSTANCE);
    }

    /** The source address from {@code bindto}/{@code bind_port}, or null for the kernel's choice. */
    static InetSocketAddress local(CheckOptions o) {
        if (o.bindTo() == null && o.bindPort() == 0) {
            return null;
        }
        return o.bindTo() != null ? new InetSocketAddress(o.bindTo(), o.bindPort()) : new InetSocketAddress(o.bindPort());
    }

    /** Connects {@code b} to {@code remote} from the configured source, if any. */
    static ChannelFuture connect(Bootstrap b, InetSocketAddress remote, InetSocketAddress local) {
        return local == null ? b.connect(remote) : b.connect(remote, local);
    }
}
