package io.fulcrum.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc downcalls of the whole project, each capturing {@code errno} through {@link Linker.Option#captureCallState}.
 *
 * <p>Internal to this package: callers use the wrappers ({@link LinuxSocket}, {@link NetNs}, {@link PollSet},
 * {@link Mmap}, {@link Bpf}, {@link ResourceLimits}, {@link Interfaces}). Any thread may call; {@code errno} is kept in
 * a per-thread capture segment, so a call and its {@link #errno()} must happen on the same thread. Buffer pointers on
 * the packet path are passed as {@code long} addresses so no slice is allocated per call.
 */
@SuppressWarnings("restricted")
final class Libc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong J = ValueLayout.JAVA_LONG;
    private static final ValueLayout P = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = capture("socket", FunctionDescriptor.of(I, I, I, I));
    private static final MethodHandle BIND = capture("bind", FunctionDescriptor.of(I, I, J, I));
    private static final MethodHandle CONNECT = capture("connect", FunctionDescriptor.of(I, I, J, I));
    private static final MethodHandle SETSOCKOPT = capture("setsockopt", FunctionDescriptor.of(I, I, I, I, J, I));
    private static final MethodHandle GETSOCKOPT = capture("getsockopt", FunctionDescriptor.of(I, I, I, I, J, J));
    private static final MethodHandle GETSOCKNAME = capture("getsockname", FunctionDescriptor.of(I, I, J, J));
    private static final MethodHandle SENDTO = capture("sendto", FunctionDescriptor.of(J, I, J, J, I, J, I));
    private static final MethodHandle SENDMSG = capture("sendmsg", FunctionDescriptor.of(J, I, J, I));
    private static final MethodHandle RECVFROM = capture("recvfrom", FunctionDescriptor.of(J, I, J, J, I, J, J));
    private static final MethodHandle RECVMSG = capture("recvmsg", FunctionDescriptor.of(J, I, J, I));
    private static final MethodHandle FCNTL = capture("fcntl", FunctionDescriptor.of(I, I, I, I), 2);
    private static final MethodHandle IOCTL = capture("ioctl", FunctionDescriptor.of(I, I, J, J), 2);
    private static final MethodHandle POLL = capture("poll", FunctionDescriptor.of(I, J, J, I));
    private static final MethodHandle MMAP = capture("mmap", FunctionDescriptor.of(J, J, J, I, I, I, J));
    private static final MethodHandle MUNMAP = capture("munmap", FunctionDescriptor.of(I, J, J));
    private static final MethodHandle CLOSE = capture("close", FunctionDescriptor.of(I, I));
    private static final MethodHandle OPEN = capture("open", FunctionDescriptor.of(I, J, I, I), 2);
    private static final MethodHandle SETNS = capture("setns", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle IF_NAMETOINDEX = capture("if_nametoindex", FunctionDescriptor.of(I, J));
    private static final MethodHandle IF_INDEXTONAME = capture("if_indextoname", FunctionDescriptor.of(J, I, J));
    private static final MethodHandle SYSCALL4 = capture("syscall", FunctionDescriptor.of(J, J, J, J, J), 1);
    private static final MethodHandle GETRLIMIT = capture("getrlimit", FunctionDescriptor.of(I, I, J));
    private static final MethodHandle SETRLIMIT = capture("setrlimit", FunctionDescriptor.of(I, I, J));
    private static final MethodHandle EVENTFD = capture("eventfd", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle READ = capture("read", FunctionDescriptor.of(J, I, J, J));
    private static final MethodHandle WRITE = capture("write", FunctionDescriptor.of(J, I, J, J));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(find("strerror"), FunctionDescriptor.of(P, I));

    private Libc() {
    }

    private static MemorySegment find(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    private static MethodHandle capture(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(name), fd, CAPTURE);
    }

    private static MethodHandle capture(String name, FunctionDescriptor fd, int firstVariadic) {
        return LINKER.downcallHandle(find(name), fd, CAPTURE, Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** The {@code errno} left by the last call of this class on the calling thread. */
    static int errno() {
        return (int) ERRNO.get(STATE.get(), 0L);
    }

    private static MemorySegment st() {
        return STATE.get();
    }

    private static IllegalStateException fail(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }

    static int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(st(), domain, type, protocol);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int bind(int fd, long addr, int len) {
        try {
            return (int) BIND.invokeExact(st(), fd, addr, len);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int connect(int fd, long addr, int len) {
        try {
            return (int) CONNECT.invokeExact(st(), fd, addr, len);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int setsockopt(int fd, int level, int name, long value, int len) {
        try {
            return (int) SETSOCKOPT.invokeExact(st(), fd, level, name, value, len);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int getsockopt(int fd, int level, int name, long value, long lenPtr) {
        try {
            return (int) GETSOCKOPT.invokeExact(st(), fd, level, name, value, lenPtr);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int getsockname(int fd, long addr, long lenPtr) {
        try {
            return (int) GETSOCKNAME.invokeExact(st(), fd, addr, lenPtr);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long sendto(int fd, long buf, long len, int flags, long addr, int addrLen) {
        try {
            return (long) SENDTO.invokeExact(st(), fd, buf, len, flags, addr, addrLen);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long sendmsg(int fd, long msg, int flags) {
        try {
            return (long) SENDMSG.invokeExact(st(), fd, msg, flags);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long recvfrom(int fd, long buf, long len, int flags, long addr, long addrLenPtr) {
        try {
            return (long) RECVFROM.invokeExact(st(), fd, buf, len, flags, addr, addrLenPtr);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long recvmsg(int fd, long msg, int flags) {
        try {
            return (long) RECVMSG.invokeExact(st(), fd, msg, flags);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int fcntl(int fd, int cmd, int arg) {
        try {
            return (int) FCNTL.invokeExact(st(), fd, cmd, arg);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int ioctl(int fd, long request, long arg) {
        try {
            return (int) IOCTL.invokeExact(st(), fd, request, arg);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int poll(long fds, long nfds, int timeoutMs) {
        try {
            return (int) POLL.invokeExact(st(), fds, nfds, timeoutMs);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long mmap(long addr, long len, int prot, int flags, int fd, long offset) {
        try {
            return (long) MMAP.invokeExact(st(), addr, len, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int munmap(long addr, long len) {
        try {
            return (int) MUNMAP.invokeExact(st(), addr, len);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(st(), fd);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int open(long path, int flags, int mode) {
        try {
            return (int) OPEN.invokeExact(st(), path, flags, mode);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int setns(int fd, int nstype) {
        try {
            return (int) SETNS.invokeExact(st(), fd, nstype);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int ifNameToIndex(long name) {
        try {
            return (int) IF_NAMETOINDEX.invokeExact(st(), name);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long ifIndexToName(int index, long buf) {
        try {
            return (long) IF_INDEXTONAME.invokeExact(st(), index, buf);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long syscall(long number, long a1, long a2, long a3) {
        try {
            return (long) SYSCALL4.invokeExact(st(), number, a1, a2, a3);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int getrlimit(int resource, long rlim) {
        try {
            return (int) GETRLIMIT.invokeExact(st(), resource, rlim);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int setrlimit(int resource, long rlim) {
        try {
            return (int) SETRLIMIT.invokeExact(st(), resource, rlim);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int eventfd(int initval, int flags) {
        try {
            return (int) EVENTFD.invokeExact(st(), initval, flags);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long read(int fd, long buf, long len) {
        try {
            return (long) READ.invokeExact(st(), fd, buf, len);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long write(int fd, long buf, long len) {
        try {
            return (long) WRITE.invokeExact(st(), fd, buf, len);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** libc's description of {@code errno}, e.g. "File exists". */
    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw fail(t);
        }
    }
}
