package io.fulcrum.vrrp.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A wire view of one VRRP advertisement (the VRRP message, without the IP header) over a {@link MemorySegment}.
 *
 * <p>VRRPv2, RFC 3768 §5.1:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Type  | Virtual Rtr ID|   Priority    | Count IP Addrs|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Auth Type   |   Adver Int   |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         IP Address (1..n)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Authentication Data (1)                   |
 * |                     Authentication Data (2)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * VRRPv3, RFC 5798 §5.1: the second word is {@code (rsvd:4)(Max Adver Int:12 centiseconds)|Checksum}, there is no
 * authentication data, the addresses are IPv4 (4 bytes) or IPv6 (16 bytes), and the checksum covers an IPv4 or IPv6
 * pseudo-header (RFC 5798 §5.2.8). The v2 checksum covers the VRRP message only (RFC 3768 §5.3.8).
 *
 * <p>A flyweight: {@link #wrap} points it at a frame; nothing is allocated per packet. Not thread-safe: one instance
 * per thread (the VRRP thread, or a test).
 */
public final class VrrpPacketFlyweight {

    /** IP protocol number of VRRP. */
    public static final int IPPROTO_VRRP = 112;
    /** The fixed part of every VRRP message. */
    public static final int HEADER_LENGTH = 8;
    /** VRRPv2 authentication data length (RFC 3768 §5.3.10). */
    public static final int AUTH_DATA_LENGTH = 8;
    /** Type 1, ADVERTISEMENT (the only type defined). */
    public static final int TYPE_ADVERTISEMENT = 1;
    /** v2 auth type 0: no authentication. */
    public static final int AUTH_NONE = 0;
    /** v2 auth type 1: simple text password (RFC 2338 §5.3.6). */
    public static final int AUTH_PASS = 1;
    /** v2 auth type 2: IP authentication header (RFC 2338, not supported here). */
    public static final int AUTH_AH = 2;
    /** The TTL / hop limit every VRRP packet is sent with and must arrive with (RFC 5798 §5.1.1.3). */
    public static final int VRRP_TTL = 255;

    /** Offset of the version/type byte. */
    public static final int VERSION_TYPE_OFFSET = 0;
    /** Offset of the virtual router id. */
    public static final int VRID_OFFSET = 1;
    /** Offset of the priority. */
    public static final int PRIORITY_OFFSET = 2;
    /** Offset of the address count. */
    public static final int COUNT_OFFSET = 3;
    /** Offset of the v2 auth type. */
    public static final int AUTH_TYPE_OFFSET = 4;
    /** Offset of the v2 advertisement interval (seconds). */
    public static final int ADVER_INT_V2_OFFSET = 5;
    /** Offset of the v3 reserved bits and max advertisement interval (centiseconds, 12 bits). */
    public static final int MAX_ADVER_INT_V3_OFFSET = 4;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 6;
    /** Offset of the first address. */
    public static final int ADDRESSES_OFFSET = 8;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    /** Points this view at the VRRP message starting at {@code offset} of {@code segment}. */
    public VrrpPacketFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** The segment this view reads. */
    public MemorySegment segment() {
        return segment;
    }

    /** The offset of the VRRP message in {@link #segment()}. */
    public long offset() {
        return offset;
    }

    /**
     * The length of a VRRP message with {@code count} addresses.
     *
     * @param version 2 or 3
     * @param addressLength 4 (IPv4) or 16 (IPv6)
     */
    public static int messageLength(int version, int addressLength, int count) {
        return HEADER_LENGTH + count * addressLength + (version == 2 ? AUTH_DATA_LENGTH : 0);
    }

    private int u8(int field) {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset + field));
    }

    private void u8(int field, int value) {
        segment.set(ValueLayout.JAVA_BYTE, offset + field, (byte) value);
    }

    /** The version nibble (2 or 3 for valid packets). */
    public int version() {
        return u8(VERSION_TYPE_OFFSET) >>> 4;
    }

    /** The type nibble ({@link #TYPE_ADVERTISEMENT} for valid packets). */
    public int type() {
        return u8(VERSION_TYPE_OFFSET) & 0x0f;
    }

    /** Sets version and type. */
    public VrrpPacketFlyweight versionType(int version, int type) {
        u8(VERSION_TYPE_OFFSET, (version << 4) | (type & 0x0f));
        return this;
    }

    /** The virtual router id, 1..255. */
    public int vrid() {
        return u8(VRID_OFFSET);
    }

    /** Sets the virtual router id. */
    public VrrpPacketFlyweight vrid(int vrid) {
        u8(VRID_OFFSET, vrid);
        return this;
    }

    /** The sender's priority, 0..255. */
    public int priority() {
        return u8(PRIORITY_OFFSET);
    }

    /** Sets the priority. */
    public VrrpPacketFlyweight priority(int priority) {
        u8(PRIORITY_OFFSET, priority);
        return this;
    }

    /** The number of addresses carried. */
    public int addressCount() {
        return u8(COUNT_OFFSET);
    }

    /** Sets the address count. */
    public VrrpPacketFlyweight addressCount(int count) {
        u8(COUNT_OFFSET, count);
        return this;
    }

    /** The v2 auth type. */
    public int authType() {
        return u8(AUTH_TYPE_OFFSET);
    }

    /** Sets the v2 auth type. */
    public VrrpPacketFlyweight authType(int type) {
        u8(AUTH_TYPE_OFFSET, type);
        return this;
    }

    /** The v2 advertisement interval in seconds. */
    public int adverIntSeconds() {
        return u8(ADVER_INT_V2_OFFSET);
    }

    /** Sets the v2 advertisement interval in seconds. */
    public VrrpPacketFlyweight adverIntSeconds(int seconds) {
        u8(ADVER_INT_V2_OFFSET, seconds);
        return this;
    }

    /** The v3 maximum advertisement interval in centiseconds (the low 12 bits of the word). */
    public int maxAdverIntCentis() {
        return Short.toUnsignedInt(segment.get(U16, offset + MAX_ADVER_INT_V3_OFFSET)) & 0x0fff;
    }

    /** Sets the v3 maximum advertisement interval in centiseconds; the reserved bits are written as zero. */
    public VrrpPacketFlyweight maxAdverIntCentis(int centis) {
        segment.set(U16, offset + MAX_ADVER_INT_V3_OFFSET, (short) (centis & 0x0fff));
        return this;
    }

    /** The checksum field as received. */
    public int checksum() {
        return Short.toUnsignedInt(segment.get(U16, offset + CHECKSUM_OFFSET));
    }

    /** Sets the checksum field. */
    public VrrpPacketFlyweight checksum(int checksum) {
        segment.set(U16, offset + CHECKSUM_OFFSET, (short) checksum);
        return this;
    }

    /** The IPv4 address at {@code index} as a big-endian int. */
    public int ipv4Address(int index) {
        return segment.get(U32, offset + ADDRESSES_OFFSET + 4L * index);
    }

    /** Writes the IPv4 address at {@code index}. */
    public VrrpPacketFlyweight ipv4Address(int index, int address) {
        segment.set(U32, offset + ADDRESSES_OFFSET + 4L * index, address);
        return this;
    }

    /** Copies address bytes ({@code address.length} = 4 or 16) into slot {@code index}. */
    public VrrpPacketFlyweight address(int index, byte[] address) {
        MemorySegment.copy(address, 0, segment, ValueLayout.JAVA_BYTE,
                offset + ADDRESSES_OFFSET + (long) index * address.length, address.length);
        return this;
    }

    /** Whether slot {@code index} (of width {@code address.length}) holds {@code address}. */
    public boolean addressEquals(int index, byte[] address) {
        long base = offset + ADDRESSES_OFFSET + (long) index * address.length;
        for (int i = 0; i < address.length; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, base + i) != address[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether any of the {@code count} slots of width {@code address.length} holds {@code address}. */
    public boolean containsAddress(int count, byte[] address) {
        for (int i = 0; i < count; i++) {
            if (addressEquals(i, address)) {
                return true;
            }
        }
        return false;
    }

    /** Offset (from the message start) of the v2 authentication data for {@code count} IPv4 addresses. */
    public static int authDataOffset(int count) {
        return ADDRESSES_OFFSET + 4 * count;
    }

    /** Writes the 8 bytes of v2 authentication data (zero padded) after {@code count} IPv4 addresses. */
    public VrrpPacketFlyweight authData(int count, byte[] password8) {
        MemorySegment.copy(password8, 0, segment, ValueLayout.JAVA_BYTE, offset + authDataOffset(count),
                AUTH_DATA_LENGTH);
        return this;
    }

    /** Whether the 8 bytes of v2 authentication data after {@code count} addresses equal {@code password8}. */
    public boolean authDataEquals(int count, byte[] password8) {
        long base = offset + authDataOffset(count);
        int diff = 0; // constant time
        for (int i = 0; i < AUTH_DATA_LENGTH; i++) {
            diff |= segment.get(ValueLayout.JAVA_BYTE, base + i) ^ password8[i];
        }
        return diff == 0;
    }

    /** The v2 checksum (RFC 3768 §5.3.8) of a message of {@code length} bytes, computed with the field as zero. */
    public int computeV2Checksum(int length) {
        long sum = InternetChecksum.add(0, segment, offset, length);
        sum -= checksum(); // as if the field were zero
        return InternetChecksum.finish(foldNonNegative(sum));
    }

    /**
     * The v3 checksum (RFC 5798 §5.2.8) of a message of {@code length} bytes over the IPv4 or IPv6 pseudo-header
     * built from {@code src} and {@code dst} (4 or 16 bytes each), computed with the field as zero.
     */
    public int computeV3Checksum(int length, byte[] src, byte[] dst) {
        long sum = pseudoHeaderSum(src, dst, length);
        sum = InternetChecksum.add(sum, segment, offset, length);
        sum -= checksum();
        return InternetChecksum.finish(foldNonNegative(sum));
    }

    /** Whether the checksum in the packet verifies for the given version and pseudo-header addresses. */
    public boolean checksumValid(int version, int length, byte[] src, byte[] dst) {
        int expected = version == 2 ? computeV2Checksum(length) : computeV3Checksum(length, src, dst);
        return expected == checksum();
    }

    /** The partial sum of the IPv4 (RFC 791/768 style) or IPv6 (RFC 8200 §8.1) pseudo-header for protocol 112. */
    public static long pseudoHeaderSum(byte[] src, byte[] dst, int upperLength) {
        long sum = InternetChecksum.add(0, src, src.length);
        sum = InternetChecksum.add(sum, dst, dst.length);
        if (src.length == 4) {
            sum += IPPROTO_VRRP; // zero byte, protocol byte
            sum += upperLength & 0xffff;
        } else {
            sum += (upperLength >>> 16) & 0xffff;
            sum += upperLength & 0xffff;
            sum += IPPROTO_VRRP; // three zero bytes, next header
        }
        return sum;
    }

    private static long foldNonNegative(long sum) {
        // subtracting the stored checksum can only make the sum smaller; keep it in ones' complement terms
        long s = sum;
        while (s < 0) {
            s += 0xffff;
        }
        return s;
    }
}
