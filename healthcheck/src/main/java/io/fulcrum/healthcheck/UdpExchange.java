package io.fulcrum.healthcheck;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A connected UDP exchange with a time limit: sends one datagram and waits for a reply, an ICMP error (seen as an
 * error on the connected socket) or the timeout. Used by {@code UDP_CHECK} and {@code DNS_CHECK}.
 *
 * <p>Runs on the check's event-loop thread.
 */
final class UdpExchange {

    /** What happened; exactly one method is called once. */
    interface Outcome {
        /** A reply arrived (the buffer is released after the call). */
        void reply(ByteBuf data);

        /** The socket reported an error (ICMP unreachable, no route, ...). */
        void error(Throwable cause);

        /** Nothing arrived within the limit. */
        void timeout();
    }

    private UdpExchange() {
    }

    /** Reply filter: returns false to keep waiting (e.g. a DNS reply with another id). */
    interface Filter {
        boolean accept(ByteBuf data);
    }

    static void run(Bootstrap base, InetSocketAddress remote, InetSocketAddress local, byte[] payload,
                    long timeoutMillis, Outcome outcome) {
        run(base, remote, local, payload, timeoutMillis, d -> true, outcome);
    }

    static void run(Bootstrap base, InetSocketAddress remote, InetSocketAddress local, byte[] payload,
                    long timeoutMillis, Filter filter, Outcome outcome) {
        boolean[] finished = new boolean[1];
        ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
        Bootstrap b = base.clone().handler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (finished[0]) {
                        return;
                    }
                    ByteBuf data = msg instanceof DatagramPacket p ? p.content() : msg instanceof ByteBuf bb ? bb : null;
                    if (data == null || !filter.accept(data)) {
                        return;
                    }
                    finished[0] = true;
                    if (timer[0] != null) {
                        timer[0].cancel(false);
                    }
                    outcome.reply(data);
                    ctx.close();
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (!finished[0]) {
                    finished[0] = true;
                    if (timer[0] != null) {
                        timer[0].cancel(false);
                    }
                    outcome.error(cause);
                }
                ctx.close();
            }
        });
        NetProbe.connect(b, remote, local).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                finished[0] = true;
                outcome.error(f.cause());
                return;
            }
            Channel ch = f.channel();
            timer[0] = ch.eventLoop().schedule(() -> {
                if (!finished[0]) {
                    finished[0] = true;
                    outcome.timeout();
                    ch.close();
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
            ch.writeAndFlush(Unpooled.wrappedBuffer(payload)).addListener((ChannelFuture w) -> {
                if (!w.isSuccess() && !finished[0]) {
                    finished[0] = true;
                    timer[0].cancel(false);
                    outcome.error(w.cause());
                    ch.close();
                }
            });
        });
    }

    static byte[] bytes(ByteBuf data) {
        return ByteBufUtil.getBytes(data);
    }
}
