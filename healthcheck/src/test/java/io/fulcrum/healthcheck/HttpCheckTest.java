package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.Cmd;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP_GET and SSL_GET against the JDK's HTTP and HTTPS servers (self-signed certificate made with keytool). */
class HttpCheckTest {

    private static final Endpoint VIP = Endpoint.of("10.0.0.100", 80);
    private static final Duration SLACK = Duration.ofMillis(3000);
    /** The JDK HTTP server can be slow on a loaded machine: a read limit well above its response time. */
    private static final CheckOptions HTTP = CheckHarness.FAST.withConnectTimeout(Duration.ofSeconds(2));

    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> body = new AtomicReference<>("all good");
    private final List<String> hosts = new CopyOnWriteArrayList<>();

    private void handle(HttpExchange ex) throws IOException {
        hosts.add(ex.getRequestHeaders().getFirst("Host"));
        byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status.get(), b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static VirtualServerCheckSpec vs(int port, CheckSpec check) {
        return VirtualServerCheckSpec.tcp(VIP, RealServerCheckSpec.of(Endpoint.of("127.0.0.1", port), check));
    }

    @Test
    void httpStatusAndDigestFailuresAndRecovery() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/health", this::handle);
        server.start();
        int p = server.getAddress().getPort();
        String rs = "[127.0.0.1]:tcp:" + p;
        try {
            CheckSpec.Url url = new CheckSpec.Url("/health", List.of(CheckSpec.StatusRange.parse("200-299")),
                    md5("all good"), null);
            CheckSpec.Http check = new CheckSpec.Http(HTTP, false, List.of(url), "www.example.test",
                    false);
            try (CheckHarness h = CheckHarness.launch(vs(p, check))) {
                h.await("Remote Web server " + rs + " succeed on service.", Duration.ofSeconds(5));
                assertTrue(hosts.contains("www.example.test:" + p), "virtualhost sent as Host: " + hosts);
                status.set(503);
                h.await("HTTP status code error to server " + rs + ".", CheckHarness.bound(HTTP, SLACK));
                h.await("HTTP_CHECK on service " + rs + " failed after 1 retries.",
                        CheckHarness.bound(HTTP, SLACK));
                h.await("Removing service " + rs + " from VS [10.0.0.100]:tcp:80", Duration.ofSeconds(1));
                status.set(200);
                h.await("MD5 digest success to " + rs + " url(/health)", CheckHarness.bound(HTTP, SLACK));
                h.await("Adding service " + rs + " to VS [10.0.0.100]:tcp:80", Duration.ofSeconds(1));
                body.set("something else");
                h.await("MD5 digest error to server " + rs + ".", CheckHarness.bound(HTTP, SLACK));
                Await.until("second removal", Duration.ofSeconds(2),
                        () -> h.log.count("Removing service " + rs + " from VS [10.0.0.100]:tcp:80") == 2);
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void statusCodeRangesAndConnectErrors() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::handle);
        server.start();
        int p = server.getAddress().getPort();
        String rs = "[127.0.0.1]:tcp:" + p;
        status.set(302);
        try {
            CheckSpec.Url url = new CheckSpec.Url("/", List.of(CheckSpec.StatusRange.parse("200"),
                    CheckSpec.StatusRange.parse("300-399")), null, null);
            try (CheckHarness h = CheckHarness.launch(vs(p, new CheckSpec.Http(HTTP, false, List.of(url),
                    null, false)))) {
                h.await("Remote Web server " + rs + " succeed on service.", Duration.ofSeconds(5));
                assertTrue(hosts.contains("127.0.0.1:" + p), "Host defaults to ip:port: " + hosts);
                server.stop(0);
                h.await("Error connecting server " + rs + ".", CheckHarness.bound(HTTP, SLACK));
                h.await("HTTP_CHECK on service " + rs + " failed after 1 retries.",
                        CheckHarness.bound(HTTP, SLACK));
                h.await("Removing service " + rs + " from VS", Duration.ofSeconds(1));
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void sslGetWithSelfSignedCertificateAndSni(@TempDir Path dir) throws Exception {
        Path ks = dir.resolve("server.p12");
        Cmd.ok("keytool", "-genkeypair", "-alias", "srv", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=rs.example.test", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass",
                "changeit", "-keypass", "changeit");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        List<String> sniSeen = new CopyOnWriteArrayList<>();
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters sp = tls.getDefaultSSLParameters();
                sp.setSNIMatchers(List.of(new SNIMatcher(0) {
                    @Override
                    public boolean matches(SNIServerName name) {
                        sniSeen.add(new String(name.getEncoded(), StandardCharsets.US_ASCII));
                        return true;
                    }
                }));
                params.setSSLParameters(sp);
            }
        });
        server.createContext("/", this::handle);
        server.start();
        int p = server.getAddress().getPort();
        String rs = "[127.0.0.1]:tcp:" + p;
        try {
            CheckSpec.Http check = new CheckSpec.Http(HTTP.withConnectTimeout(Duration.ofSeconds(5)),
                    true, List.of(new CheckSpec.Url("/", List.of(), md5("all good"), null)), "rs.example.test", true);
            try (CheckHarness h = CheckHarness.launch(vs(p, check))) {
                h.await("Remote Web server " + rs + " succeed on service.", Duration.ofSeconds(5));
                assertTrue(sniSeen.contains("rs.example.test"), "SNI sent: " + sniSeen);
                status.set(404);
                h.await("HTTP status code error to server " + rs + ".", Duration.ofSeconds(5));
                h.await("HTTP_CHECK on service " + rs + " failed after 1 retries.", Duration.ofSeconds(5));
                h.await("Removing service " + rs + " from VS [10.0.0.100]:tcp:80", Duration.ofSeconds(1));
                status.set(200);
                h.await("Adding service " + rs + " to VS [10.0.0.100]:tcp:80", Duration.ofSeconds(5));
                // keepalived: the failed url passing clears the failure, and the next pass over the urls (here the
                // same one, a delay_loop later) brings the checker up; each pass while down is logged
                assertEquals(2, h.log.count("MD5 digest success to " + rs + " url(/)"));
            }
        } finally {
            server.stop(0);
        }
    }
}
