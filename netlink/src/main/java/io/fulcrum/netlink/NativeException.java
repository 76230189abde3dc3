package io.fulcrum.netlink;

/**
 * A failed system call or kernel request: the call, the {@code errno} (number and name) and the object involved.
 *
 * <p>Immutable; safe to pass between threads. The message reads, for example,
 * {@code "RTM_NEWADDR 10.0.0.1/24 on veth0 failed: EEXIST (File exists)"} or
 * {@code "if_nametoindex nope0 failed: ENODEV (No such device)"}.
 */
public final class NativeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;
    private final String object;
    private final String detail;

    /**
     * Creates an exception for {@code call} on {@code object} (may be empty) that failed with {@code errno}.
     *
     * @param call   the call or request, e.g. {@code "setsockopt(SO_BINDTODEVICE)"}
     * @param errno  the positive errno value
     * @param object what was involved (interface, address, path, socket), or an empty string
     */
    public NativeException(String call, int errno, String object) {
        this(call, errno, object, "");
    }

    /**
     * Creates an exception with a detail the kernel gave (a netlink extended-ACK text), appended to the message.
     *
     * @param call   the call or request
     * @param errno  the positive errno value
     * @param object what was involved, or an empty string
     * @param detail the kernel's own explanation, or an empty string
     */
    public NativeException(String call, int errno, String object, String detail) {
        super(format(call, errno, object) + (detail == null || detail.isEmpty() ? "" : "; kernel says: " + detail));
        this.call = call;
        this.errno = errno;
        this.object = object == null ? "" : object;
        this.detail = detail == null ? "" : detail;
    }

    private static String format(String call, int errno, String object) {
        StringBuilder sb = new StringBuilder(call);
        if (object != null && !object.isEmpty()) {
            sb.append(' ').append(object);
        }
        sb.append(" failed: ").append(Errno.name(errno));
        String text;
        try {
            text = Errno.describe(errno);
        } catch (RuntimeException | LinkageError e) {
            text = null;
        }
        if (text != null && !text.isEmpty()) {
            sb.append(" (").append(text).append(')');
        }
        return sb.toString();
    }

    /** Creates an exception from the calling thread's last captured errno. */
    static NativeException last(String call, String object) {
        return new NativeException(call, Libc.errno(), object);
    }

    /** The call or request that failed. */
    public String call() {
        return call;
    }

    /** The errno number. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. {@code "EEXIST"}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The kernel's own explanation (netlink extended ACK), possibly empty. */
    public String detail() {
        return detail;
    }

    /** The object involved (interface, address, path, socket), possibly empty. */
    public String object() {
        return object;
    }
}
