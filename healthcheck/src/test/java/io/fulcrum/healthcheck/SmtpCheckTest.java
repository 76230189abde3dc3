package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** SMTP_CHECK against a tiny SMTP banner server the test runs. */
class SmtpCheckTest {

    private final AtomicReference<String> banner = new AtomicReference<>("220 mx.example.test ESMTP ready");
    private final List<String> helos = new CopyOnWriteArrayList<>();

    private void session(Socket s) {
        try {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            out.write((banner.get() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String helo = in.readLine();
            if (helo == null) {
                return;
            }
            helos.add(helo);
            out.write("250 mx.example.test\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if ("QUIT".equals(in.readLine())) {
                out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void bannerFailureAndRecovery() {
        try (TcpListener server = new TcpListener("127.0.0.1", 0, this::session)) {
            int p = server.port();
            String rs = "[127.0.0.1]:tcp:" + p;
            CheckSpec.Smtp check = new CheckSpec.Smtp(CheckHarness.FAST, "lb.example.test");
            VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.100", 25),
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p), check));
            try (CheckHarness h = CheckHarness.launch(vs)) {
                h.await("Remote SMTP server " + rs + " succeed on service.", Duration.ofSeconds(5));
                assertTrue(helos.contains("HELO lb.example.test"), "HELO sent: " + helos);
                banner.set("554 go away");
                h.await("SMTP_CHECK Bad greeting banner from server [127.0.0.1]:" + p,
                        CheckHarness.bound(CheckHarness.FAST, Duration.ofMillis(3000)));
                h.await("Removing service " + rs + " from VS [10.0.0.100]:tcp:25", Duration.ofSeconds(1));
                banner.set("220 back");
                h.await("Remote SMTP server " + rs + " succeed on service.", Duration.ofSeconds(5));
                h.await("Adding service " + rs + " to VS [10.0.0.100]:tcp:25", Duration.ofSeconds(1));
                server.stop();
                h.await("SMTP_CHECK Error connecting to server [127.0.0.1]:" + p,
                        CheckHarness.bound(CheckHarness.FAST, Duration.ofMillis(3000)));
            }
        }
    }
}
