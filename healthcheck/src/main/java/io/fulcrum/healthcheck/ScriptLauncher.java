package io.fulcrum.healthcheck;

/**
 * Starts a notify script ({@code notify_up}, {@code notify_down}, {@code quorum_up}, {@code quorum_down}) without
 * waiting for it.
 *
 * <p>Called on health-check threads; implementations must not block.
 */
interface ScriptLauncher {

    /** Starts {@code commandLine} with {@code /bin/sh -c}; never blocks, never throws. */
    void launch(String commandLine);
}
