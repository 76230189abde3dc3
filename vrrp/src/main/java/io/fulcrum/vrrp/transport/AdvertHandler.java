package io.fulcrum.vrrp.transport;

/**
 * Receives the packets a {@link VrrpTransport} read.
 *
 * <p>Called only on the VRRP thread, from {@link VrrpTransport#receive}.
 */
@FunctionalInterface
public interface AdvertHandler {

    /** Handles one packet; {@code advert} is valid only during the call. */
    void onAdvert(ReceivedAdvert advert);
}
