package io.fulcrum.dataplane.service;

/**
 * The scheduling algorithms ({@code lb_algo}).
 *
 * <p>Immutable; any thread may use it.
 */
public enum SchedulerKind {
    /** Round robin. */
    RR("rr"),
    /** Weighted round robin. */
    WRR("wrr"),
    /** Least connections. */
    LC("lc"),
    /** Weighted least connections. */
    WLC("wlc"),
    /** Source hashing. */
    SH("sh"),
    /** Maglev hashing (Eisenbud et al., NSDI 2016, §3.4). */
    MH("mh");

    private final String keyword;

    SchedulerKind(String keyword) {
        this.keyword = keyword;
    }

    /** The configuration keyword. */
    public String keyword() {
        return keyword;
    }

    /** The scheduler for a configuration keyword, or null when unknown. */
    public static SchedulerKind ofKeyword(String keyword) {
        for (SchedulerKind k : values()) {
            if (k.keyword.equals(keyword)) {
                return k;
            }
        }
        return null;
    }
}
