package io.fulcrum.appliance.admin;

import io.fulcrum.appliance.admin.AdminCommandLine.Parsed;
import io.fulcrum.appliance.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code fulcrumadm}: ipvsadm's command line (with DPVS's local-address commands and Fulcrum's {@code vrrp},
 * {@code dump --json}, {@code reload}, {@code json}, {@code stats-clear}) for a running {@code fulcrum}, spoken over its
 * control socket ({@code --control-socket PATH}, default {@code /run/fulcrum/fulcrum.ctl}). The command line is
 * checked here first (exit 2 with ipvsadm's message); the daemon then checks and carries out the request and says
 * what to print and the exit status (0 done, 1 refused or failed with nothing changed, 2 bad request).
 *
 * <p>Called once on the main thread.
 */
public final class FulcrumAdm {

    /** Exit status when the daemon cannot be reached. */
    public static final int EXIT_NO_DAEMON = 3;

    private FulcrumAdm() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line, writing to {@code out} and {@code err}; returns the exit status. Never throws. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Parsed parsed = AdminCommandLine.parse(args);
        if (parsed.request() == null) {
            out.print(parsed.out());
            err.print(parsed.err());
            out.flush();
            err.flush();
            return parsed.exit();
        }
        AdminResponse response;
        try {
            response = exchange(parsed.socket(), parsed.request());
        } catch (IOException e) {
            err.println("fulcrumadm: " + e.getMessage());
            err.flush();
            return EXIT_NO_DAEMON;
        }
        out.print(response.out());
        err.print(response.err());
        out.flush();
        err.flush();
        return response.exit();
    }

    /**
     * Sends {@code request} to the daemon at {@code socket} and returns its answer.
     *
     * @throws IOException with an operator-facing message when the daemon cannot be reached or answers nonsense
     */
    public static AdminResponse exchange(Path socket, AdminRequest request) throws IOException {
        SocketChannel c;
        try {
            c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (NoSuchFileException e) {
            throw new IOException("cannot connect to " + socket + ": no such file (is fulcrum running? "
                    + "use --control-socket PATH for another instance)", e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot connect to " + socket + ": Permission denied (you must be root)", e);
        } catch (SocketException e) {
            String why = e.getMessage();
            if (!Files.exists(socket)) {
                why = "no such file (is fulcrum running? use --control-socket PATH for another instance)";
            } else if (why != null && why.contains("Connection refused")) {
                why = "connection refused (fulcrum is not running; the socket file is stale)";
            } else if (why != null && why.contains("Permission denied")) {
                why = "Permission denied (you must be root)";
            }
            throw new IOException("cannot connect to " + socket + ": " + why, e);
        }
        try (c) {
            byte[] line = (ControlServer.compact(Json.write(request.toJson())) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuffer bb = ByteBuffer.wrap(line);
            while (bb.hasRemaining()) {
                c.write(bb);
            }
            c.shutdownOutput();
            ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
            ByteBuffer in = ByteBuffer.allocate(16 * 1024);
            while (c.read(in.clear()) >= 0) {
                buf.write(in.array(), 0, in.position());
            }
            String text = buf.toString(StandardCharsets.UTF_8).strip();
            AdminResponse r = null;
            try {
                r = AdminResponse.fromJson(Json.parse(text));
            } catch (Json.JsonException e) {
                // Reported below.
            }
            if (r == null) {
                throw new IOException("the daemon at " + socket + " sent an answer fulcrumadm does not understand"
                        + (text.isEmpty() ? " (nothing)" : ""));
            }
            return r;
        }
    }
}
