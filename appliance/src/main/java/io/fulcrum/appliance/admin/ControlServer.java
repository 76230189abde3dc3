package io.fulcrum.appliance.admin;

import io.fulcrum.appliance.ApplianceCommands;
import io.fulcrum.appliance.ApplianceView;
import io.fulcrum.appliance.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's control socket: a Unix stream socket (default {@code /run/fulcrum/fulcrum.ctl}; the file mode 0600, a
 * directory it creates 0700) that only root or the daemon's own user may use (checked with {@code SO_PEERCRED}). One
 * request per connection: the client writes one line of JSON ({@link AdminRequest}), the server answers one line of
 * JSON ({@link AdminResponse}) and closes. Every request is parsed and validated completely before
 * {@link ControlService} acts on it; a malformed, oversized ({@value #MAX_REQUEST} bytes) or slow (5 s) request is
 * answered with an error and changes nothing.
 *
 * <p>Started once by the daemon ({@link #start}); the acceptor is one virtual thread and each connection is served on
 * its own virtual thread. {@link #close()} may be called from any thread; it stops accepting and removes the socket
 * file.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    /** The largest request accepted, in bytes. */
    public static final int MAX_REQUEST = 64 * 1024;
    /** How long a client may take to send its request. */
    public static final long REQUEST_TIMEOUT_MS = 5_000;

    private final Path path;
    private final ServerSocketChannel server;
    private final ControlService service;
    private final String ownUser;
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(Path path, ServerSocketChannel server, ControlService service) {
        this.path = path;
        this.server = server;
        this.service = service;
        this.ownUser = System.getProperty("user.name");
        this.acceptor = Thread.ofVirtual().name("fulcrum-control").unstarted(this::acceptLoop);
    }

    /**
     * Binds the control socket at {@code path} and starts serving: the daemon calls this once its view and commands
     * are ready (e.g. {@code ControlServer.start(tuning.control().socket(), view, commands, hooks)}).
     *
     * @throws IOException when the socket cannot be created, or another daemon is serving {@code path}
     */
    public static ControlServer start(Path path, ApplianceView view, ApplianceCommands commands, DaemonHooks hooks)
            throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                throw new IOException("control socket directory " + dir + " exists and is not a directory", e);
            }
        }
        if (Files.exists(path)) {
            if (inUse(path)) {
                throw new IOException("control socket " + path + " is in use by another running fulcrum "
                        + "(give each instance its own --control-socket)");
            }
            Files.delete(path);
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot create control socket " + path + ": " + e.getMessage(), e);
        }
        ControlServer s = new ControlServer(path, ch, new ControlService(view, commands, hooks));
        s.acceptor.start();
        LOG.info("Control socket {} ready", path);
        return s;
    }

    /** The socket's path. */
    public Path path() {
        return path;
    }

    private static boolean inUse(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return c.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("Control socket {}: accept failed: {}", path, e.getMessage());
                }
                return;
            }
            Thread.ofVirtual().name("fulcrum-control-conn").start(() -> serve(c));
        }
    }

    private void serve(SocketChannel c) {
        Executor deadline = CompletableFuture.delayedExecutor(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        CompletableFuture<Void> timer = CompletableFuture.runAsync(() -> closeQuietly(c), deadline);
        try (c) {
            // The request line is read before anything is answered, also for a refused peer: closing a connection
            // whose request is still being written would fail the client with EPIPE instead of the refusal.
            String denied = checkPeer(c);
            Request request = readRequest(c, timer);
            if (request == null) {
                return;
            }
            AdminResponse response = denied != null ? AdminResponse.failed(denied) : answer(request);
            timer.cancel(false);
            String line = compact(Json.write(response.toJson())) + "\n";
            ByteBuffer out = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                c.write(out);
            }
        } catch (IOException e) {
            LOG.debug("Control socket {}: connection ended: {}", path, e.getMessage());
        } finally {
            timer.cancel(false);
        }
    }

    private String checkPeer(SocketChannel c) {
        try {
            UnixDomainPrincipal p = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
            UserPrincipal user = p.user();
            String name = user.getName();
            if (name.equals("root") || name.equals(ownUser)) {
                return null;
            }
            LOG.warn("Control socket {}: refused a request from user {}", path, name);
            return "Permission denied (you must be root)";
        } catch (IOException | UnsupportedOperationException e) {
            return "Permission denied: cannot identify the peer (" + e.getMessage() + ")";
        }
    }

    /** One request line as received: its text, whether it ended with a newline, or why it cannot be read. */
    private record Request(String text, boolean complete, AdminResponse refusal) {
    }

    /**
     * Reads one request line; null when the client went away before sending one. The read deadline ({@code timer})
     * is cancelled once the request is in, so a slow command (a reload) is not cut off.
     */
    private Request readRequest(SocketChannel c, CompletableFuture<Void> timer) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        ByteBuffer in = ByteBuffer.allocate(4096);
        boolean complete = false;
        while (!complete) {
            in.clear();
            int n;
            try {
                n = c.read(in);
            } catch (AsynchronousCloseException e) {
                LOG.warn("Control socket {}: request not received within {} ms", path, REQUEST_TIMEOUT_MS);
                return null;
            }
            if (n < 0) {
                break;
            }
            in.flip();
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    complete = true;
                    break;
                }
                buf.write(b);
            }
            if (buf.size() > MAX_REQUEST) {
                timer.cancel(false);
                return new Request("", false, new AdminResponse(AdminResponse.EXIT_BAD_REQUEST, "",
                        "bad request: larger than " + MAX_REQUEST + " bytes\n"));
            }
        }
        timer.cancel(false);
        if (timer.isDone() && !timer.isCancelled()) {
            return null;
        }
        String text = buf.toString(StandardCharsets.UTF_8).strip();
        if (text.isEmpty() && !complete) {
            return null;
        }
        return new Request(text, complete, null);
    }

    /** Answers a request that was read whole. */
    private AdminResponse answer(Request r) {
        if (r.refusal() != null) {
            return r.refusal();
        }
        String text = r.text();
        if (text.isEmpty()) {
            return new AdminResponse(AdminResponse.EXIT_BAD_REQUEST, "", "bad request: empty\n");
        }
        AdminRequest request;
        try {
            request = AdminRequest.fromJson(Json.parse(text));
        } catch (Json.JsonException e) {
            return new AdminResponse(AdminResponse.EXIT_BAD_REQUEST, "", "bad request: " + e.getMessage() + "\n");
        } catch (AdminRequest.BadRequestException e) {
            return new AdminResponse(AdminResponse.EXIT_BAD_REQUEST, "", e.getMessage() + "\n");
        }
        try {
            return service.execute(request);
        } catch (RuntimeException e) {
            LOG.error("Control socket {}: {} failed", path, request.op().wire(), e);
            return AdminResponse.failed("internal error: " + e);
        }
    }

    /**
     * One-line JSON from {@link Json#write}'s indented form: a raw line break never occurs inside a JSON string (it is
     * escaped), so every line break and the indentation after it are layout.
     */
    static String compact(String indented) {
        return indented.replaceAll("\n *", "");
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("Control socket {}: close: {}", path, e.getMessage());
        }
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("Control socket {}: cannot remove: {}", path, e.getMessage());
        }
    }
}
