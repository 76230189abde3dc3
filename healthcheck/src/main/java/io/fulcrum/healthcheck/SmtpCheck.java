package io.fulcrum.healthcheck;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code SMTP_CHECK}: expect a {@code 220} greeting, send {@code HELO}, expect {@code 250}, send {@code QUIT} and read
 * its answer (keepalived's {@code check_smtp.c} engine). Each read is limited by {@code connect_timeout}.
 *
 * <p>Runs on the check's event-loop thread.
 */
final class SmtpCheck implements Prober {

    private final CheckSpec.Smtp spec;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final String pair;
    private final long timeoutMillis;

    SmtpCheck(CheckSpec.Smtp spec, Bootstrap bootstrap, Endpoint target) {
        this.spec = spec;
        this.bootstrap = bootstrap;
        this.remote = target.socketAddress();
        this.local = NetProbe.local(spec.options());
        this.pair = target.pair();
        this.timeoutMillis = Math.max(1, spec.options().connectTimeout().toMillis());
    }

    @Override
    public void probe(Consumer<ProbeResult> done) {
        Engine engine = new Engine(done);
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new LineBasedFrameDecoder(512, true, false), engine);
            }
        });
        NetProbe.connect(b, remote, local).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                engine.finish(null, f.cause() instanceof ConnectTimeoutException
                        ? "Connection timeout to server " + pair : "Error connecting to server " + pair);
            } else {
                engine.expect(f.channel());
            }
        });
    }

    /** keepalived's {@code smtp_get_status}: three digits followed by a space or the end of the line. */
    static int status(String line) {
        if (line.length() < 3) {
            return -1;
        }
        for (int i = 0; i < 3; i++) {
            if (!Character.isDigit(line.charAt(i))) {
                return -1;
            }
        }
        if (line.length() > 3 && line.charAt(3) != ' ') {
            return -1;
        }
        return Integer.parseInt(line.substring(0, 3));
    }

    private enum Step { BANNER, HELO, QUIT }

    /** The conversation. */
    private final class Engine extends SimpleChannelInboundHandler<ByteBuf> {
        private final Consumer<ProbeResult> done;
        private Step step = Step.BANNER;
        private boolean finished;
        private ScheduledFuture<?> timer;

        Engine(Consumer<ProbeResult> done) {
            this.done = done;
        }

        void expect(Channel ch) {
            if (timer != null) {
                timer.cancel(false);
            }
            timer = ch.eventLoop().schedule(() -> finish(ch, "Read timeout from server " + pair), timeoutMillis,
                    TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            if (finished) {
                return;
            }
            String line = msg.toString(StandardCharsets.US_ASCII).stripTrailing();
            Channel ch = ctx.channel();
            switch (step) {
                case BANNER -> {
                    if (status(line) != 220) {
                        finish(ch, "Bad greeting banner from server " + pair);
                        return;
                    }
                    step = Step.HELO;
                    write(ch, "HELO " + spec.heloName() + "\r\n");
                }
                case HELO -> {
                    if (status(line) != 250) {
                        finish(ch, "Bad HELO response from server " + pair);
                        return;
                    }
                    step = Step.QUIT;
                    write(ch, "QUIT\r\n");
                }
                case QUIT -> finish(ch, null);
            }
        }

        private void write(Channel ch, String line) {
            ch.writeAndFlush(Unpooled.wrappedBuffer(line.getBytes(StandardCharsets.US_ASCII)));
            expect(ch);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            finish(ctx.channel(), "Read failure from server " + pair);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            finish(ctx.channel(), "Read failure from server " + pair);
        }

        void finish(Channel ch, String failure) {
            if (finished) {
                return;
            }
            finished = true;
            if (timer != null) {
                timer.cancel(false);
            }
            if (ch != null) {
                ch.close();
            }
            done.accept(failure == null ? ProbeResult.success() : ProbeResult.failure(failure));
        }
    }
}
