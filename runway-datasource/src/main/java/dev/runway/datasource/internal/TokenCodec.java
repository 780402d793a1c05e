package dev.runway.datasource.internal;

import dev.runway.core.Lsn;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies consistency tokens {@code v1.<systemId>.<timeline>.<lsn hex>.<mac>}, the mac
 * being the first 16 bytes of HMAC-SHA256 over the rest, base64url. Thread-safe (a Mac per call).
 */
public final class TokenCodec {
    /** A decoded, verified token. */
    public record Token(ServerIdentity identity, Lsn lsn) {
    }

    /** Why a token was refused. */
    public enum Refusal { MALFORMED, BAD_SIGNATURE }

    /** Either a token or a refusal. */
    public record Decoded(Token token, Refusal refusal) {
    }

    private static final int MAC_BYTES = 16;
    private final SecretKeySpec key;

    public TokenCodec(byte[] secret) {
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public String encode(ServerIdentity id, Lsn lsn) {
        String body = "v1." + Long.toUnsignedString(id.systemId()) + "." + id.timeline() + "." + Long.toHexString(lsn.value());
        return body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(body));
    }

    public Decoded decode(String token) {
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 5 || !parts[0].equals("v1") || parts[3].isEmpty() || parts[3].length() > 16) {
            return new Decoded(null, Refusal.MALFORMED);
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(parts[4]);
        } catch (IllegalArgumentException e) {
            return new Decoded(null, Refusal.MALFORMED);
        }
        String body = token.trim().substring(0, token.trim().lastIndexOf('.'));
        // Constant-time comparison: a timing oracle would let a client forge tokens byte by byte.
        if (!MessageDigest.isEqual(given, mac(body))) {
            return new Decoded(null, Refusal.BAD_SIGNATURE);
        }
        try {
            long sys = Long.parseUnsignedLong(parts[1]);
            int tli = Integer.parseInt(parts[2]);
            long lsn = Long.parseUnsignedLong(parts[3], 16);
            return new Decoded(new Token(new ServerIdentity(sys, tli), new Lsn(lsn)), null);
        } catch (NumberFormatException e) {
            return new Decoded(null, Refusal.MALFORMED);
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
