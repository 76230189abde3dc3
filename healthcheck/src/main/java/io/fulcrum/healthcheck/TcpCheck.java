package io.fulcrum.healthcheck;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * {@code TCP_CHECK}: one non-blocking connect, closed as soon as it succeeds (keepalived's {@code check_tcp.c}).
 *
 * <p>{@link #probe} runs on the check's event-loop thread.
 */
final class TcpCheck implements Prober {

    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;

    TcpCheck(Bootstrap bootstrap, Endpoint target, CheckOptions o) {
        this.bootstrap = bootstrap.handler(NetProbe.Quiet.INSTANCE);
        this.remote = target.socketAddress();
        this.local = NetProbe.local(o);
    }

    @Override
    public void probe(Consumer<ProbeResult> done) {
        NetProbe.connect(bootstrap, remote, local).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                f.channel().close();
                done.accept(ProbeResult.success());
            } else {
                done.accept(ProbeResult.failure(f.cause() instanceof ConnectTimeoutException ? "timeout" : "failed"));
            }
        });
    }
}
