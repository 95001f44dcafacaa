package dev.berth.server.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.store.Mutation;
import dev.berth.store.Row;
import dev.berth.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The access keys the server accepts, kept in the store (kind {@code access-key}) and in memory for
 * the verifier's lookups.
 */
public final class AccessKeys implements SecretKeys {
  static final String KIND = "access-key";
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private final Store store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> secrets = new ConcurrentHashMap<>();

  /** An access key id and its secret. */
  public record AccessKey(String accessKeyId, String secretAccessKey) {}

  /** Loads the keys held in the store. */
  public AccessKeys(Store store, Clock clock) {
    this.store = requireNonNull(store);
    this.clock = requireNonNull(clock);
    for (Row row : store.load(KIND)) {
      try {
        secrets.put(row.key(), Json.MAPPER.readTree(row.body()).path("secretAccessKey").asText());
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable access key " + row.key(), e);
      }
    }
  }

  @Override
  public String secretFor(String accessKeyId) {
    return accessKeyId == null ? null : secrets.get(accessKeyId);
  }

  /** Returns the oldest stored key, creating (and durably storing) one if there is none. */
  public AccessKey firstOrCreate() {
    List<Row> rows = store.load(KIND);
    if (!rows.isEmpty()) {
      Row oldest = rows.get(0);
      for (Row row : rows) {
        if (createdAt(row) < createdAt(oldest)) {
          oldest = row;
        }
      }
      return new AccessKey(oldest.key(), secrets.get(oldest.key()));
    }
    return create();
  }

  /** Creates a new key, stores it durably and returns it. */
  public AccessKey create() {
    AccessKey key =
        new AccessKey("AKIA" + randomText(KEY_ALPHABET, 16), randomText(SECRET_ALPHABET, 40));
    ObjectNode body = Json.object();
    body.put("secretAccessKey", key.secretAccessKey());
    body.put("createdAt", clock.millis());
    try {
      store.commit(List.of(Mutation.put(KIND, key.accessKeyId(), body.toString()))).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while storing an access key", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot store an access key", e.getCause());
    }
    secrets.put(key.accessKeyId(), key.secretAccessKey());
    return key;
  }

  private static long createdAt(Row row) {
    try {
      JsonNode body = Json.MAPPER.readTree(row.body());
      return body.path("createdAt").asLong();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String randomText(String alphabet, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }
}
