package io.fulcrum.appliance.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code vrrp_sync_group}: instances that change state together.
 *
 * <p>Immutable; any thread.
 *
 * @param name the group name
 * @param group the member {@code vrrp_instance} names
 * @param notifyScripts notify scripts, keyword to command line
 * @param smtpAlert {@code smtp_alert}
 * @param trackScript group-level {@code track_script} entries
 * @param origin where the block starts
 */
public record VrrpSyncGroup(String name, List<String> group, Map<String, String> notifyScripts, boolean smtpAlert,
                            List<VrrpInstance.TrackRef> trackScript, Origin origin) {

    /** Copies the collections. */
    public VrrpSyncGroup {
        group = List.copyOf(group);
        notifyScripts = Collections.unmodifiableMap(new LinkedHashMap<>(notifyScripts));
        trackScript = List.copyOf(trackScript);
    }
}
