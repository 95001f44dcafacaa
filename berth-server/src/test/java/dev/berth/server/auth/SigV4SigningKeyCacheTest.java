package dev.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Signing keys are derived by the SigV4 HMAC chain and kept, within a bound, for reuse. */
class SigV4SigningKeyCacheTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  @Test
  void derivedKeyIsTheOneAwsDocuments() {
    byte[] key = SigningKeyCache.derive(SECRET, "20120215", "us-east-1", "iam");

    assertThat(Sha256.hex(key))
        .isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  }

  @Test
  void repeatedScopeIsServedFromTheCache() {
    SigningKeyCache cache = new SigningKeyCache(8);

    byte[] first = cache.signingKey(SECRET, "20240101", "us-east-1", "ecs");
    byte[] second = cache.signingKey(SECRET, "20240101", "us-east-1", "ecs");

    assertThat(second).isSameAs(first);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void eachElementOfTheScopeYieldsItsOwnKey() {
    SigningKeyCache cache = new SigningKeyCache(8);

    byte[] key = cache.signingKey(SECRET, "20240101", "us-east-1", "ecs");

    assertThat(cache.signingKey(SECRET + "x", "20240101", "us-east-1", "ecs")).isNotEqualTo(key);
    assertThat(cache.signingKey(SECRET, "20240102", "us-east-1", "ecs")).isNotEqualTo(key);
    assertThat(cache.signingKey(SECRET, "20240101", "eu-west-1", "ecs")).isNotEqualTo(key);
    assertThat(cache.signingKey(SECRET, "20240101", "us-east-1", "sts")).isNotEqualTo(key);
  }

  @Test
  void cacheNeverHoldsMoreThanItsCapacity() {
    SigningKeyCache cache = new SigningKeyCache(4);

    for (int day = 1; day <= 20; day++) {
      cache.signingKey(SECRET, "202401%02d".formatted(day), "us-east-1", "ecs");
      assertThat(cache.size()).isLessThanOrEqualTo(4);
    }
    assertThat(cache.signingKey(SECRET, "20240120", "us-east-1", "ecs"))
        .isEqualTo(SigningKeyCache.derive(SECRET, "20240120", "us-east-1", "ecs"));
  }
}
