package dev.berth.server.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Derives SigV4 signing keys and keeps the recent ones: a key costs four HMACs to derive, yet stays
 * the same for a whole day of requests by one secret to one region and service.
 */
final class SigningKeyCache {
  private final ConcurrentHashMap<Scope, byte[]> keys = new ConcurrentHashMap<>();
  private final int capacity;

  private record Scope(String secret, String date, String region, String service) {}

  /** Creates a cache that holds at most {@code capacity} keys. */
  SigningKeyCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Returns the signing key for {@code secret} scoped to {@code date} (yyyyMMdd), {@code region}
   * and {@code service}. The array is shared: callers must not change it.
   */
  byte[] signingKey(String secret, String date, String region, String service) {
    Scope scope = new Scope(secret, date, region, service);
    byte[] key = keys.get(scope);
    if (key != null) {
      return key;
    }
    key = derive(secret, date, region, service);
    if (keys.size() >= capacity) {
      // Live scopes are few and turn over daily; dropping them all now and then is cheaper than
      // keeping an LRU order up to date on every request.
      keys.clear();
    }
    keys.put(scope, key);
    return key;
  }

  /** Returns the number of keys held. */
  int size() {
    return keys.size();
  }

  /** Returns the signing key derived by the SigV4 HMAC chain, without caching it. */
  static byte[] derive(String secret, String date, String region, String service) {
    byte[] dateKey = Sha256.hmac(("AWS4" + secret).getBytes(UTF_8), date);
    byte[] regionKey = Sha256.hmac(dateKey, region);
    byte[] serviceKey = Sha256.hmac(regionKey, service);
    return Sha256.hmac(serviceKey, "aws4_request");
  }
}
