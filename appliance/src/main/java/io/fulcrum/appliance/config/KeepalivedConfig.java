package io.fulcrum.appliance.config;

import java.util.List;
import java.util.Optional;

/**
 * A parsed and validated keepalived.conf (with DPVS's FullNAT extensions): the typed, immutable model the appliance
 * turns into each module's specs.
 *
 * <p>Immutable; any thread may read it.
 *
 * @param globalDefs the {@code global_defs} block (defaults when absent)
 * @param vrrpScripts {@code vrrp_script} blocks
 * @param trackFiles {@code track_file} blocks
 * @param vrrpSyncGroups {@code vrrp_sync_group} blocks
 * @param vrrpInstances {@code vrrp_instance} blocks
 * @param localAddressGroups DPVS {@code local_address_group} blocks
 * @param denyAddressGroups DPVS {@code deny_address_group} blocks
 * @param allowAddressGroups DPVS {@code allow_address_group} blocks
 * @param virtualServerGroups {@code virtual_server_group} blocks
 * @param virtualServers {@code virtual_server} blocks
 */
public record KeepalivedConfig(
        GlobalDefs globalDefs,
        List<VrrpScript> vrrpScripts,
        List<TrackFile> trackFiles,
        List<VrrpSyncGroup> vrrpSyncGroups,
        List<VrrpInstance> vrrpInstances,
        List<AddressGroup> localAddressGroups,
        List<AddressGroup> denyAddressGroups,
        List<AddressGroup> allowAddressGroups,
        List<VirtualServerGroup> virtualServerGroups,
        List<VirtualServer> virtualServers) {

    /** Copies the lists. */
    public KeepalivedConfig {
        vrrpScripts = List.copyOf(vrrpScripts);
        trackFiles = List.copyOf(trackFiles);
        vrrpSyncGroups = List.copyOf(vrrpSyncGroups);
        vrrpInstances = List.copyOf(vrrpInstances);
        localAddressGroups = List.copyOf(localAddressGroups);
        denyAddressGroups = List.copyOf(denyAddressGroups);
        allowAddressGroups = List.copyOf(allowAddressGroups);
        virtualServerGroups = List.copyOf(virtualServerGroups);
        virtualServers = List.copyOf(virtualServers);
    }

    /** The {@code vrrp_instance} called {@code name}. */
    public Optional<VrrpInstance> vrrpInstance(String name) {
        return vrrpInstances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** The {@code vrrp_script} called {@code name}. */
    public Optional<VrrpScript> vrrpScript(String name) {
        return vrrpScripts.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** The {@code local_address_group} called {@code name}. */
    public Optional<AddressGroup> localAddressGroup(String name) {
        return localAddressGroups.stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
