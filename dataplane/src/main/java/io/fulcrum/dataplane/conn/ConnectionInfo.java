package io.fulcrum.dataplane.conn;

import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import java.net.InetAddress;

/**
 * One connection as a listing ({@code ipvsadm -L -n -c}) shows it, copied out of a worker's {@link ConnectionTable}.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param worker the worker whose table holds the connection
 * @param protocol TCP or UDP
 * @param method the forwarding method of its service
 * @param client the client address
 * @param clientPort the client port
 * @param virtualAddress the virtual address
 * @param virtualPort the virtual port
 * @param localAddress the FullNAT local address (the client address for other methods, as DPVS shows it)
 * @param localPort the FullNAT local port (the client port for other methods)
 * @param destination the real server address
 * @param destinationPort the real server port
 * @param state the connection state
 * @param expiresInMs milliseconds until the entry expires (0 when due)
 */
public record ConnectionInfo(int worker, Protocol protocol, ForwardingMethod method, InetAddress client,
                             int clientPort, InetAddress virtualAddress, int virtualPort, InetAddress localAddress,
                             int localPort, InetAddress destination, int destinationPort, ConnectionState state,
                             long expiresInMs) {
}
