package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The DNS query encoder and response decoder against hand-assembled RFC 1035 messages. */
class DnsMessageTest {

    @Test
    void encodesQuery() {
        byte[] q = DnsMessage.query(0x1234, "www.example.com", 1);
        assertArrayEquals(HexFormat.of().parseHex("123401000001000000000000"
                + "03777777076578616d706c6503636f6d00" + "00010001"), q);
        assertArrayEquals(HexFormat.of().parseHex("000101000001000000000000" + "00" + "00060001"),
                DnsMessage.query(1, ".", 6));
    }

    @Test
    void decodesAnswerWithCompressedName() {
        String header = "1234" + "8180" + "0001" + "0002" + "0000" + "0000";
        String question = "03777777076578616d706c6503636f6d00" + "00010001";
        String cname = "c00c" + "0005" + "0001" + "00000e10" + "0002" + "c010";
        String a = "c00c" + "0001" + "0001" + "00000e10" + "0004" + "7f000001";
        byte[] msg = HexFormat.of().parseHex(header + question + cname + a);
        DnsMessage.Response r = DnsMessage.parse(msg, 1);
        assertEquals(0x1234, r.id());
        assertTrue(r.qr());
        assertEquals(0, r.rcode());
        assertTrue(r.hasAnswerOfType());
        assertFalse(DnsMessage.parse(msg, 28).hasAnswerOfType());
        byte[] servfail = HexFormat.of().parseHex("1234" + "8182" + "0001" + "0000" + "0000" + "0000" + question);
        assertEquals(2, DnsMessage.parse(servfail, 1).rcode());
    }

    @Test
    void rejectsTruncated() {
        assertNull(DnsMessage.parse(new byte[5], 1));
        byte[] bad = HexFormat.of().parseHex("1234" + "8180" + "0000" + "0001" + "0000" + "0000" + "c00c0001");
        assertNull(DnsMessage.parse(bad, 1));
    }
}
