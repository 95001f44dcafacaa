package dev.berth.server.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SHA-256 and HMAC-SHA256, the two primitives SigV4 is built from. */
final class Sha256 {
  private static final String HMAC = "HmacSHA256";
  private static final HexFormat HEX = HexFormat.of();

  // Looking up a JCA engine costs more than using one, and engines are not thread-safe: keep one
  // of each per thread (the front door's event-loop threads are few and long-lived).
  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(() -> engine(() -> MessageDigest.getInstance("SHA-256")));
  private static final ThreadLocal<Mac> MAC =
      ThreadLocal.withInitial(() -> engine(() -> Mac.getInstance(HMAC)));

  private Sha256() {}

  /** Returns the lower-case hex SHA-256 of {@code data}. */
  static String hashHex(byte[] data) {
    return HEX.formatHex(DIGEST.get().digest(data));
  }

  /** Returns the lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
  static String hashHex(String text) {
    return hashHex(text.getBytes(UTF_8));
  }

  /** Returns the HMAC-SHA256 of the UTF-8 bytes of {@code data} under {@code key}. */
  static byte[] hmac(byte[] key, String data) {
    Mac mac = MAC.get();
    try {
      mac.init(new SecretKeySpec(key, HMAC));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 rejected a key", e);
    }
    return mac.doFinal(data.getBytes(UTF_8));
  }

  /** Returns {@code bytes} as lower-case hex. */
  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  private interface EngineFactory<T> {
    T create() throws GeneralSecurityException;
  }

  private static <T> T engine(EngineFactory<T> factory) {
    try {
      return factory.create();
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime must provide SHA-256 and HmacSHA256.
      throw new IllegalStateException(e);
    }
  }
}
