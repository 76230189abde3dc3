package io.fulcrum.vrrp;

import java.util.List;
import java.util.Objects;

/**
 * A {@code vrrp_sync_group}: instances that change state together, with the group's notify scripts.
 *
 * <p>Immutable; safe from any thread.
 *
 * @param name the group's name
 * @param members the instance names ({@code group { ... }})
 * @param notifyScripts the group's notify scripts
 */
public record VrrpSyncGroupSpec(String name, List<String> members, NotifySpec notifyScripts) {

    /** Checks the fields and copies the list. */
    public VrrpSyncGroupSpec {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
        notifyScripts = notifyScripts == null ? NotifySpec.NONE : notifyScripts;
        if (members.isEmpty()) {
            throw new IllegalArgumentException("vrrp_sync_group " + name + ": group has no members");
        }
    }
}
