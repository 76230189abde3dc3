/**
 * The Linux kernel boundary: FFM bindings to libc (sockets, poll, mmap, setns, bpf, rlimits) and, in
 * {@code io.fulcrum.netlink.rtnl}, rtnetlink with the monitor and the address guard.
 *
 * <p>The only package in Fulcrum that declares native downcalls. See {@code netlink/README.md}.
 */
package io.fulcrum.netlink;
