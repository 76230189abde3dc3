package io.fulcrum.appliance.admin;

import io.fulcrum.appliance.ApplianceCommands.Result;
import io.fulcrum.appliance.admin.IpvsText.ConnectionEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * What the control socket asks of the daemon beyond {@link io.fulcrum.appliance.ApplianceView} and
 * {@link io.fulcrum.appliance.ApplianceCommands}: the admin-socket replacements for keepalived's signals
 * ({@code reload} for SIGHUP, {@code json} for SIGJSON, {@code stats-clear}) and the connection list for {@code -c}.
 * Every method has a default, so the daemon overrides only what it has; a default that cannot act says so.
 *
 * <p>Called on the control server's connection threads, one request at a time per connection, possibly concurrently
 * across connections: implementations must be thread-safe.
 */
public interface DaemonHooks {

    /** Hooks with every default. */
    DaemonHooks NONE = new DaemonHooks() {
    };

    /** Where {@link #writeJsonDump(String)} writes by default, as keepalived's {@code /tmp/keepalived.json}. */
    Path DEFAULT_JSON_FILE = Path.of("/tmp/keepalived.json");

    /** {@code fulcrumadm reload}: re-reads and applies the configuration as SIGHUP does. */
    default Result reload() {
        return Result.error("reload is not available: this daemon has no reload hook");
    }

    /** {@code fulcrumadm stats-clear}: zeroes the VRRP statistics. */
    default Result clearStats() {
        return Result.error("stats-clear is not available: this daemon has no VRRP statistics hook");
    }

    /**
     * {@code fulcrumadm json}: writes {@code json} (keepalived's JSON dump) to the dump file, replacing it atomically.
     * The default writes {@link #DEFAULT_JSON_FILE}.
     */
    default Result writeJsonDump(String json) {
        return writeAtomically(DEFAULT_JSON_FILE, json);
    }

    /** The connections for {@code -L -n -c}, or null when the daemon cannot list them. */
    default List<ConnectionEntry> connections() {
        return null;
    }

    /**
     * The connections for {@code -L -n -c} with a note for the operator (capped, a worker that did not answer), or
     * null when the daemon cannot list them. The default wraps {@link #connections()} with no note.
     */
    default ConnectionList connectionList() {
        List<ConnectionEntry> entries = connections();
        return entries == null ? null : new ConnectionList(entries, null);
    }

    /**
     * A connection listing and what the operator should know about it.
     *
     * @param entries the connections listed
     * @param note null when the listing is complete, otherwise what is missing (printed on standard error)
     */
    record ConnectionList(List<ConnectionEntry> entries, String note) {
        /** Copies the list. */
        public ConnectionList {
            entries = List.copyOf(entries);
        }
    }

    /** Writes {@code text} to a temporary file beside {@code file} (mode 0644) and renames it over {@code file}. */
    static Result writeAtomically(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Result.ok("wrote " + file);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The temporary file is left behind; the error below names the real failure.
            }
            return Result.error("cannot write " + file + ": " + e.getMessage());
        }
    }
}
