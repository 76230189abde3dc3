package io.fulcrum.healthcheck;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * {@code DNS_CHECK}: one UDP query for {@code name}/{@code type}; success when the response has rcode 0 and its answer
 * section holds a record of that type. Failure wording follows keepalived's {@code check_dns.c}.
 *
 * <p>Runs on the check's event-loop thread.
 */
final class DnsCheck implements Prober {

    private final CheckSpec.Dns spec;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final int type;

    DnsCheck(CheckSpec.Dns spec, Bootstrap bootstrap, Endpoint target) {
        this.spec = spec;
        this.bootstrap = bootstrap;
        this.remote = target.socketAddress();
        this.local = NetProbe.local(spec.options());
        this.type = DnsMessage.type(spec.type());
    }

    @Override
    public void probe(Consumer<ProbeResult> done) {
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        byte[] query = DnsMessage.query(id, spec.name(), type);
        UdpExchange.run(bootstrap, remote, local, query, Math.max(1, spec.options().connectTimeout().toMillis()),
                data -> {
                    DnsMessage.Response r = DnsMessage.parse(UdpExchange.bytes(data), type);
                    return r != null && r.id() == id && r.qr();
                },
                new UdpExchange.Outcome() {
                    @Override
                    public void reply(ByteBuf data) {
                        DnsMessage.Response r = DnsMessage.parse(UdpExchange.bytes(data), type);
                        if (r.rcode() != 0) {
                            done.accept(new ProbeResult(false, "read error occurred. (rcode = " + r.rcode() + ")",
                                    r.rcode(), null, java.util.List.of()));
                        } else if (!r.hasAnswerOfType()) {
                            done.accept(ProbeResult.failure("no " + spec.type() + " record in the answer."));
                        } else {
                            done.accept(ProbeResult.success());
                        }
                    }

                    @Override
                    public void error(Throwable cause) {
                        done.accept(ProbeResult.failure(cause instanceof PortUnreachableException
                                ? "failed to read socket; errno 111 (Connection refused)"
                                : "network unreachable for " + new Endpoint(remote.getAddress(), remote.getPort()).pair()));
                    }

                    @Override
                    public void timeout() {
                        done.accept(ProbeResult.failure("read timeout from socket"));
                    }
                });
    }
}
