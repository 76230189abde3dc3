package io.fulcrum.vrrp;

/**
 * Per-instance VRRP statistics, named as keepalived names them in its stats file ({@code keepalived --signum=STATS}).
 *
 * <p>Immutable; safe from any thread. The values live in {@link VrrpCounters}.
 */
public enum VrrpStat {
    /** Valid advertisements received (version, type, length and checksum correct). */
    ADVERT_RCVD("advert_rcvd"),
    /** Advertisements sent. */
    ADVERT_SENT("advert_sent"),
    /** Transitions to MASTER. */
    BECOME_MASTER("become_master"),
    /** Transitions out of MASTER. */
    RELEASE_MASTER("release_master"),
    /** Packets whose length does not match their address count or IP total length. */
    PACKET_LEN_ERR("packet_len_err"),
    /** VRRPv2 packets whose advertisement interval differs from ours (dropped). */
    ADVERT_INTERVAL_ERR("advert_interval_err"),
    /** Multicast packets whose TTL / hop limit is not 255. */
    IP_TTL_ERR("ip_ttl_err"),
    /** Packets with a type other than ADVERTISEMENT. */
    INVALID_TYPE_RCVD("invalid_type_rcvd"),
    /** Packets whose address list does not match ours, or unicast/multicast mismatch. */
    ADDR_LIST_ERR("addr_list_err"),
    /** VRRPv2 packets with an unknown auth type. */
    INVALID_AUTHTYPE("invalid_authtype"),
    /** VRRPv2 packets whose auth type differs from ours. */
    AUTHTYPE_MISMATCH("authtype_mismatch"),
    /** VRRPv2 packets whose password differs from ours. */
    AUTH_FAILURE("auth_failure"),
    /** Advertisements received with priority 0. */
    PRI_ZERO_RCVD("pri_zero_rcvd"),
    /** Advertisements sent with priority 0. */
    PRI_ZERO_SENT("pri_zero_sent"),
    /** Packets with the wrong VRRP version. */
    VERSION_ERR("version_err"),
    /** Packets with a bad checksum. */
    CHECKSUM_ERR("chk_err"),
    /** Packets for a virtual router id no instance has (engine-wide row only). */
    VRID_ERR("vrid_err");

    private final String keepalivedName;

    VrrpStat(String keepalivedName) {
        this.keepalivedName = keepalivedName;
    }

    /** The statistic's name as keepalived prints it. */
    public String keepalivedName() {
        return keepalivedName;
    }
}
