package dev.berth.server.auth;

import static java.util.Objects.requireNonNull;

import dev.berth.api.Json;
import dev.berth.store.Mutation;
import dev.berth.store.Row;
import dev.berth.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The access keys the server accepts (admin, read-only and instance keys) and the activations
 * agents join with, kept in the store (kind {@code access-key}) with their secrets sealed by a
 * {@link SecretBox}, and in memory for the verifier's lookups. Changes are durable before they are
 * seen.
 */
public final class AccessKeys implements SecretKeys {
  static final String KIND = "access-key";
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final String CODE_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final Store store;
  private final Clock clock;
  private final SecretBox box;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, StoredKey> keys = new ConcurrentHashMap<>();

  /** An access key id and its secret. */
  public record AccessKey(String accessKeyId, String secretAccessKey) {}

  private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();

  /**
   * Loads the keys held in the store, opening their secrets with the box; keys stored with a clear
   * secret (by an older Berth) are sealed and stored again before this returns.
   */
  public AccessKeys(Store store, Clock clock, SecretBox box) {
    this.store = requireNonNull(store);
    this.clock = requireNonNull(clock);
    this.box = requireNonNull(box);
    List<Mutation> migrated = new ArrayList<>();
    for (Row row : store.load(KIND)) {
      try {
        var body = Json.MAPPER.readTree(row.body());
        StoredKey key = StoredKey.fromStored(row.key(), body, box);
        keys.put(key.accessKeyId(), key);
        if (!body.has("sealedSecret")) {
          migrated.add(Mutation.put(KIND, key.accessKeyId(), key.toStored(box)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable access key " + row.key(), e);
      }
    }
    if (!migrated.isEmpty()) {
      commit(migrated);
    }
  }

  @Override
  public String secretFor(String accessKeyId) {
    StoredKey key = accessKeyId == null ? null : keys.get(accessKeyId);
    return key == null || !key.usableAt(clock.millis()) ? null : key.secret();
  }

  /** Returns the key with that id, or null. */
  public StoredKey get(String accessKeyId) {
    return accessKeyId == null ? null : keys.get(accessKeyId);
  }

  /** Returns every key and activation, oldest first. */
  public List<StoredKey> all() {
    return keys.values().stream().sorted(Comparator.comparingLong(StoredKey::createdAt)).toList();
  }

  /** Returns the oldest active admin key, creating (and durably storing) one if there is none. */
  public AccessKey firstOrCreate() {
    return all().stream()
        .filter(key -> key.scope() == KeyScope.ADMIN && key.active())
        .findFirst()
        .map(key -> new AccessKey(key.accessKeyId(), key.secret()))
        .orElseGet(this::create);
  }

  /** Creates a new admin key, stores it durably and returns it. */
  public AccessKey create() {
    StoredKey key = create(KeyScope.ADMIN);
    return new AccessKey(key.accessKeyId(), key.secret());
  }

  /** Creates a new admin or read-only key, stores it durably and returns it. */
  public StoredKey create(KeyScope scope) {
    if (scope != KeyScope.ADMIN && scope != KeyScope.READ_ONLY) {
      throw new IllegalArgumentException("only admin and read-only keys are made this way");
    }
    return put(newKey(scope, null, null, null, null, null, 0));
  }

  /** Creates a new key for a container instance, stores it durably and returns it. */
  public StoredKey createInstanceKey(String region, String cluster, String containerInstanceArn) {
    return put(
        newKey(
            KeyScope.INSTANCE,
            requireNonNull(region),
            requireNonNull(cluster),
            requireNonNull(containerInstanceArn),
            null,
            null,
            0));
  }

  /**
   * Creates an activation for a cluster of a region: an id and a code that register at most {@code
   * registrationLimit} instances before {@code expiresAt} (epoch millis).
   */
  public StoredKey createActivation(
      String region, String cluster, String description, long expiresAt, int registrationLimit) {
    String id = UUID.randomUUID().toString();
    StoredKey activation =
        new StoredKey(
            id,
            randomText(CODE_ALPHABET, 20),
            KeyScope.ACTIVATION,
            true,
            clock.millis(),
            requireNonNull(region),
            requireNonNull(cluster),
            null,
            description,
            expiresAt,
            registrationLimit,
            0);
    return put(activation);
  }

  /**
   * Counts one registration against an activation and creates the new instance's key, both in one
   * durable write; returns the key, or null if the activation is unknown, spent or expired.
   */
  public synchronized StoredKey registerWith(String activationId, String containerInstanceArn) {
    StoredKey activation = keys.get(activationId);
    if (activation == null
        || activation.scope() != KeyScope.ACTIVATION
        || !activation.usableAt(clock.millis())) {
      return null;
    }
    StoredKey counted = activation.withRegistration();
    StoredKey key =
        newKey(
            KeyScope.INSTANCE,
            activation.region(),
            activation.cluster(),
            requireNonNull(containerInstanceArn),
            null,
            null,
            0);
    commit(
        List.of(
            Mutation.put(KIND, counted.accessKeyId(), counted.toStored(box)),
            Mutation.put(KIND, key.accessKeyId(), key.toStored(box))));
    keys.put(counted.accessKeyId(), counted);
    keys.put(key.accessKeyId(), key);
    return key;
  }

  /** Sets a key's status (IAM's Active or Inactive); returns false if there is no such key. */
  public synchronized boolean setActive(String accessKeyId, boolean active) {
    StoredKey key = get(accessKeyId);
    if (key == null) {
      return false;
    }
    if (key.active() != active) {
      put(key.withActive(active));
      if (!active) {
        revoked(accessKeyId);
      }
    }
    return true;
  }

  /** Deletes a key durably; returns false if there was no such key. */
  public synchronized boolean delete(String accessKeyId) {
    if (get(accessKeyId) == null) {
      return false;
    }
    commit(List.of(Mutation.delete(KIND, accessKeyId)));
    keys.remove(accessKeyId);
    revoked(accessKeyId);
    return true;
  }

  /** Disables every key of a container instance, as its deregistration does. */
  public synchronized void retireInstance(String containerInstanceArn) {
    List<StoredKey> retired = new ArrayList<>();
    for (StoredKey key : keys.values()) {
      if (key.active() && containerInstanceArn.equals(key.containerInstanceArn())) {
        retired.add(key.withActive(false));
      }
    }
    if (!retired.isEmpty()) {
      commit(
          retired.stream()
              .map(key -> Mutation.put(KIND, key.accessKeyId(), key.toStored(box)))
              .toList());
      retired.forEach(key -> keys.put(key.accessKeyId(), key));
      retired.forEach(key -> revoked(key.accessKeyId()));
    }
  }

  /**
   * Calls the listener with the id of every key disabled, deleted or retired from now on, once that
   * is durable, so that what the key opened (an agent's channel) closes with it.
   */
  public void onRevoked(Consumer<String> listener) {
    revocationListeners.add(requireNonNull(listener));
  }

  private void revoked(String accessKeyId) {
    for (Consumer<String> listener : revocationListeners) {
      listener.accept(accessKeyId);
    }
  }

  private StoredKey newKey(
      KeyScope scope,
      String region,
      String cluster,
      String containerInstanceArn,
      String description,
      Long expiresAt,
      int registrationLimit) {
    return new StoredKey(
        "AKIA" + randomText(KEY_ALPHABET, 16),
        randomText(SECRET_ALPHABET, 40),
        scope,
        true,
        clock.millis(),
        region,
        cluster,
        containerInstanceArn,
        description,
        expiresAt,
        registrationLimit,
        0);
  }

  private synchronized StoredKey put(StoredKey key) {
    commit(List.of(Mutation.put(KIND, key.accessKeyId(), key.toStored(box))));
    keys.put(key.accessKeyId(), key);
    return key;
  }

  private void commit(List<Mutation> mutations) {
    try {
      store.commit(mutations).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while storing access keys", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot store access keys", e.getCause());
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
