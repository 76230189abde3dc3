package io.fulcrum.vrrp;

import java.nio.file.Path;

/**
 * Messages other threads send to the VRRP thread (threads talk by messages, not shared mutation).
 *
 * <p>Immutable; created on any thread, consumed on the VRRP thread.
 */
public sealed interface VrrpMessage {

    /**
     * An interface went up or down.
     *
     * @param ifName the interface
     * @param up whether it is running
     */
    record Link(String ifName, boolean up) implements VrrpMessage {
    }

    /**
     * A {@code vrrp_script} run finished.
     *
     * @param script the script name
     * @param exitCode its exit status (-1 when it could not start)
     * @param timedOut whether it was killed for running past its timeout
     */
    record ScriptResult(String script, int exitCode, boolean timedOut) implements VrrpMessage {
    }

    /**
     * A tracked file's value.
     *
     * @param path the file
     * @param value the integer it holds (0 when empty or unreadable as keepalived does)
     */
    record FileValue(Path path, long value) implements VrrpMessage {
    }

    /**
     * A task to run on the VRRP thread (tests and the appliance's commands).
     *
     * @param task the task
     */
    record Task(Runnable task) implements VrrpMessage {
    }
}
