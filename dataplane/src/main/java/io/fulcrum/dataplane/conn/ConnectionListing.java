package io.fulcrum.dataplane.conn;

import java.util.List;

/**
 * The result of listing every worker's connections: the entries copied (at most {@code limit}), how many connections
 * the workers saw in all, and the workers that did not answer in time.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param entries the connections copied, worker by worker
 * @param seen the connections the answering workers held while they were copied (more than {@code entries.size()}
 *     when the listing was capped)
 * @param limit the cap on entries that was asked for
 * @param unanswered the workers that did not answer within the time limit (their connections are missing)
 */
public record ConnectionListing(List<ConnectionInfo> entries, long seen, int limit, List<Integer> unanswered) {

    /** Copies the lists. */
    public ConnectionListing {
        entries = List.copyOf(entries);
        unanswered = List.copyOf(unanswered);
    }

    /** Whether connections were left out because of the cap. */
    public boolean capped() {
        return seen > entries.size();
    }

    /** Whether every worker answered and nothing was capped. */
    public boolean complete() {
        return unanswered.isEmpty() && !capped();
    }
}
