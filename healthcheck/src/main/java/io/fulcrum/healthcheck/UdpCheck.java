package io.fulcrum.healthcheck;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * {@code UDP_CHECK}: send {@code payload}; an ICMP error fails the check; with {@code require_reply} a reply (starting
 * with the expected bytes, if given) must arrive within {@code connect_timeout}, else silence counts as success
 * (keepalived's {@code check_udp.c}).
 *
 * <p>Runs on the check's event-loop thread.
 */
final class UdpCheck implements Prober {

    private final CheckSpec.Udp spec;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final byte[] payload;
    private final byte[] reply;

    UdpCheck(CheckSpec.Udp spec, Bootstrap bootstrap, Endpoint target) {
        this.spec = spec;
        this.bootstrap = bootstrap;
        this.remote = target.socketAddress();
        this.local = NetProbe.local(spec.options());
        this.payload = HexFormat.of().parseHex(spec.payloadHex());
        this.reply = spec.replyHex() == null ? null : HexFormat.of().parseHex(spec.replyHex());
    }

    @Override
    public void probe(Consumer<ProbeResult> done) {
        UdpExchange.run(bootstrap, remote, local, payload, Math.max(1, spec.options().connectTimeout().toMillis()),
                new UdpExchange.Outcome() {
                    @Override
                    public void reply(ByteBuf data) {
                        byte[] got = UdpExchange.bytes(data);
                        if (reply != null && (got.length < reply.length
                                || !Arrays.equals(got, 0, reply.length, reply, 0, reply.length))) {
                            done.accept(ProbeResult.failure("mismatch"));
                        } else {
                            done.accept(ProbeResult.success());
                        }
                    }

                    @Override
                    public void error(Throwable cause) {
                        done.accept(ProbeResult.failure("failed"));
                    }

                    @Override
                    public void timeout() {
                        done.accept(spec.requireReply() ? ProbeResult.failure("failed") : ProbeResult.success());
                    }
                });
    }
}
