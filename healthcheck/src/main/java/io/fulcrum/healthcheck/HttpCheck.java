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
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code HTTP_GET} and {@code SSL_GET}: GET one {@code url} per attempt (the check's {@link HttpUrlMachine} says
 * which); each must answer with an accepted status
 * code and, if configured, a body whose MD5 matches {@code digest} and which matches (or with {@code regex_no_match}
 * does not match) the url's {@code regex} (keepalived's {@code check_http.c}). For a regex url at most
 * {@link BodyRegex#BODY_LIMIT} bytes of the body are kept, and the match runs on the script pool, not on the event
 * loop; its result comes back to the loop.
 *
 * <p>TLS trusts any certificate, as keepalived does; {@code enable_sni} sends the virtual host as SNI. One HTTP/1.0
 * request per url with {@code Connection: close}; {@code connect_timeout} limits the connect and each read. Runs on
 * the check's event-loop thread.
 */
final class HttpCheck implements Prober {

    private static final Logger LOG = LoggerFactory.getLogger(HttpCheck.class);

    private final CheckSpec.Http spec;
    private final Pattern[] patterns;
    private final Predicate<Runnable> offload;
    private IntSupplier nextUrl = () -> 0;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final Endpoint target;
    private final SslContext ssl;
    private final long timeoutMillis;

    HttpCheck(CheckSpec.Http spec, Bootstrap bootstrap, Endpoint target, SslContext ssl, Predicate<Runnable> offload) {
        this.spec = spec;
        this.offload = offload;
        this.patterns = new Pattern[spec.urls().size()];
        for (int i = 0; i < patterns.length; i++) {
            BodyRegex r = spec.urls().get(i).regex();
            patterns[i] = r == null ? null : r.compile();
        }
        this.bootstrap = bootstrap;
        this.target = target;
        this.remote = target.socketAddress();
        this.local = NetProbe.local(spec.options());
        this.ssl = ssl;
        this.timeoutMillis = Math.max(1, spec.options().connectTimeout().toMillis());
    }

    /** Where the index of the url to fetch comes from (the check's {@link HttpUrlMachine}); set before start. */
    void nextUrl(IntSupplier v) {
        this.nextUrl = v;
    }

    /** Fetches one url: the one the check's url cycle is at. */
    @Override
    public void probe(Consumer<ProbeResult> done) {
        new Attempt(done).url(nextUrl.getAsInt());
    }

    private String host(CheckSpec.Url url) {
        String vhost = url.virtualhost() != null ? url.virtualhost() : spec.virtualhost();
        String host = vhost != null ? vhost
                : target.address() instanceof Inet6Address ? "[" + target.ip() + "]" : target.ip();
        int defaultPort = spec.ssl() ? 443 : 80;
        return target.port() == defaultPort ? host : host + ":" + target.port();
    }

    /** One url fetch. */
    private final class Attempt {
        private final Consumer<ProbeResult> done;
        private final List<String> notes = new ArrayList<>();
        private boolean finished;

        Attempt(Consumer<ProbeResult> done) {
            this.done = done;
        }

        void url(int index) {
            CheckSpec.Url url = spec.urls().get(index);
            UrlHandler handler = new UrlHandler(this, index, url);
            Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (ssl != null) {
                        String vhost = url.virtualhost() != null ? url.virtualhost() : spec.virtualhost();
                        SslHandler h = spec.enableSni() && vhost != null
                                ? ssl.newHandler(ch.alloc(), vhost, target.port()) : ssl.newHandler(ch.alloc());
                        h.setHandshakeTimeoutMillis(timeoutMillis);
                        ch.pipeline().addLast(h);
                    }
                    ch.pipeline().addLast(new HttpResponseDecoder(), handler);
                }
            });
            NetProbe.connect(b, remote, local).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    fail(null, f.cause() instanceof ConnectTimeoutException ? "Timeout connecting" : "Error connecting");
                    return;
                }
                Channel ch = f.channel();
                handler.armTimeout(ch);
                SslHandler sh = ch.pipeline().get(SslHandler.class);
                if (sh == null) {
                    send(ch, url);
                } else {
                    sh.handshakeFuture().addListener((Future<Channel> hf) -> {
                        if (hf.isSuccess()) {
                            send(ch, url);
                        } else {
                            fail(ch, "SSL handshake/communication error connecting to");
                        }
                    });
                }
            });
        }

        private void send(Channel ch, CheckSpec.Url url) {
            String req = "GET " + url.path() + " HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: " + host(url)
                    + "\r\nConnection: close\r\n\r\n";
            ch.writeAndFlush(Unpooled.wrappedBuffer(req.getBytes(StandardCharsets.US_ASCII)));
        }

        void passed(Channel ch, String what, String path) {
            if (finished) {
                return;
            }
            notes.add(what);
            notes.add(path);
            finish(ch, new ProbeResult(true, null, -1, null, List.copyOf(notes)));
        }

        void fail(Channel ch, String detail) {
            finish(ch, ProbeResult.failure(detail));
        }

        private void finish(Channel ch, ProbeResult r) {
            if (ch != null) {
                ch.close();
            }
            if (finished) {
                return;
            }
            finished = true;
            done.accept(r);
        }
    }

    /** Reads one response, hashing the body as it streams. */
    private final class UrlHandler extends SimpleChannelInboundHandler<HttpObject> {
        private final Attempt attempt;
        private final int index;
        private final CheckSpec.Url url;
        private final MessageDigest md5;
        private int status = -1;
        private boolean complete;
        private ScheduledFuture<?> timeout;
        private byte[] body;
        private int bodyLength;

        UrlHandler(Attempt attempt, int index, CheckSpec.Url url) {
            this.attempt = attempt;
            this.index = index;
            this.url = url;
            try {
                this.md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 unavailable", e);
            }
        }

        void armTimeout(Channel ch) {
            timeout = ch.eventLoop().schedule(() -> {
                if (!complete) {
                    complete = true;
                    attempt.fail(ch, ssl != null ? "Timeout SSL read" : "Timeout HTTP read");
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (complete) {
                return;
            }
            if (msg instanceof HttpResponse r) {
                status = r.status().code();
            }
            if (msg instanceof HttpContent c) {
                ByteBuf buf = c.content();
                if (url.regex() != null) {
                    keep(buf);
                }
                for (ByteBuffer nio : buf.nioBuffers()) {
                    md5.update(nio);
                }
            }
            if (msg instanceof LastHttpContent) {
                evaluate(ctx.channel());
            }
        }

        /** Keeps the start of the body for the regex, up to {@link BodyRegex#BODY_LIMIT} bytes. */
        private void keep(ByteBuf buf) {
            int n = Math.min(buf.readableBytes(), BodyRegex.BODY_LIMIT - bodyLength);
            if (n <= 0) {
                return;
            }
            if (body == null || body.length < bodyLength + n) {
                int size = Math.min(BodyRegex.BODY_LIMIT, Math.max(bodyLength + n, body == null ? 4096
                        : body.length * 2));
                body = body == null ? new byte[size] : java.util.Arrays.copyOf(body, size);
            }
            buf.getBytes(buf.readerIndex(), body, bodyLength, n);
            bodyLength += n;
        }

        private void evaluate(Channel ch) {
            complete = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (status < 0) {
                attempt.fail(ch, "Read, no data received from ");
            } else if (!url.accepts(status)) {
                attempt.fail(ch, "HTTP status code error to");
            } else if (url.digest() != null && !url.digest().equals(HexFormat.of().formatHex(md5.digest()))) {
                attempt.fail(ch, "MD5 digest error to");
            } else if (url.regex() != null) {
                matchRegex(ch);
            } else {
                attempt.passed(ch, url.digest() != null ? "MD5 digest" : "HTTP status code", url.path());
            }
        }

        /** Runs the regex on the script pool and comes back to the event loop with the verdict. */
        private void matchRegex(Channel ch) {
            BodyRegex regex = url.regex();
            byte[] b = body == null ? new byte[0] : body;
            int len = bodyLength;
            boolean queued = offload.test(() -> {
                BodyRegex.Outcome o;
                try {
                    o = regex.matches(patterns[index], b, len);
                } catch (RuntimeException e) {
                    o = BodyRegex.Outcome.NOT_MATCHED;
                }
                BodyRegex.Outcome outcome = o;
                try {
                    ch.eventLoop().execute(() -> regexDone(ch, outcome));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // the checks are shutting down: nobody waits for this verdict
                }
            });
            if (!queued) {
                attempt.fail(ch, "Regex match failed");
            }
        }

        private void regexDone(Channel ch, BodyRegex.Outcome o) {
            if (o == BodyRegex.Outcome.LIMIT) {
                LOG.info("Regex match for url({}) of {} exceeded the match limit - treated as no match", url.path(),
                        target.trio(Protocol.TCP));
            }
            boolean matched = o == BodyRegex.Outcome.MATCHED;
            if (matched == url.regex().noMatch()) {
                attempt.fail(ch, "Regex match failed");
            } else {
                attempt.passed(ch, "Regex match", url.path());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!complete) {
                complete = true;
                if (timeout != null) {
                    timeout.cancel(false);
                }
                attempt.fail(ctx.channel(), status < 0 ? "Read, no data received from " : "Timeout HTTP read");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!complete) {
                complete = true;
                if (timeout != null) {
                    timeout.cancel(false);
                }
                attempt.fail(ctx.channel(), ssl != null ? "SSL handshake/communication error connecting to"
                        : "Read error with");
            }
            ctx.close();
        }
    }
}
