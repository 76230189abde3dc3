package io.fulcrum.healthcheck;

import java.util.ArrayList;
import java.util.List;

/** Test listener that records every event as a short string. */
final class RecordingListener implements RealServerListener {

    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void onState(VirtualServerCheckSpec vs, RealServerCheckSpec rs, boolean up, int weight) {
        events.add(rs.address().pair() + (up ? " up " : " down ") + weight);
    }

    @Override
    public synchronized void onSorryServer(VirtualServerCheckSpec vs, SorryServerSpec sorry, boolean active) {
        events.add("sorry " + (active ? "on" : "off"));
    }

    @Override
    public synchronized void onQuorum(VirtualServerCheckSpec vs, boolean up) {
        events.add("quorum " + (up ? "up" : "down"));
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    synchronized String last() {
        return events.isEmpty() ? null : events.getLast();
    }

    synchronized boolean has(String e) {
        return events.contains(e);
    }
}
