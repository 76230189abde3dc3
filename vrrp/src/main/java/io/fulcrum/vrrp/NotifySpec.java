package io.fulcrum.vrrp;

/**
 * The notify scripts of an instance or sync group ({@code notify_master}, {@code notify_backup},
 * {@code notify_fault}, {@code notify_stop}, {@code notify}); each is a command line or {@code null}.
 *
 * <p>Immutable; safe from any thread.
 *
 * @param master run on entering MASTER
 * @param backup run on entering BACKUP
 * @param fault run on entering FAULT
 * @param stop run on entering STOP
 * @param generic run on every change with {@code GROUP|INSTANCE NAME STATE PRIORITY} appended
 */
public record NotifySpec(String master, String backup, String fault, String stop, String generic) {

    /** No scripts. */
    public static final NotifySpec NONE = new NotifySpec(null, null, null, null, null);

    /** The script for entering {@code state}, or {@code null}. */
    public String forState(VrrpState state) {
        return switch (state) {
            case MASTER -> master;
            case BACKUP -> backup;
            case FAULT -> fault;
            case STOP -> stop;
            case INIT -> null;
        };
    }
}
