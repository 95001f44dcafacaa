package dev.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.store.Mutation;
import dev.berth.store.Row;
import dev.berth.store.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets at rest: sealed in the store under a key file of their own, clear ones migrated. */
class AccessKeysAtRestTest {
  @TempDir Path dir;

  @Test
  void aNewKeysSecretIsSealedInTheStoreUnderAnOwnerOnlyKeyFile() throws Exception {
    Path keyFile = dir.resolve("secret.key");
    String secret;
    String id;
    try (SqliteStore store = SqliteStore.open(dir.resolve("berth.db"))) {
      AccessKeys keys = new AccessKeys(store, Clock.systemUTC(), SecretBox.openOrCreate(keyFile));
      AccessKeys.AccessKey key = keys.create();
      secret = key.secretAccessKey();
      id = key.accessKeyId();
      Row row = store.load(AccessKeys.KIND).get(0);
      assertThat(row.body()).doesNotContain(secret).contains(SecretBox.SEALED_PREFIX);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    try (SqliteStore store = SqliteStore.open(dir.resolve("berth.db"))) {
      AccessKeys again = new AccessKeys(store, Clock.systemUTC(), SecretBox.openOrCreate(keyFile));
      assertThat(again.secretFor(id)).isEqualTo(secret);
    }
  }

  @Test
  void aClearSecretOfAnOlderStoreIsSealedOnStart() throws Exception {
    String clear = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    try (SqliteStore store = SqliteStore.open(dir.resolve("berth.db"))) {
      store
          .commit(
              List.of(
                  Mutation.put(
                      AccessKeys.KIND,
                      "AKIAOLDKEY0000000001",
                      "{\"secretAccessKey\":\"" + clear + "\",\"createdAt\":1}")))
          .get();
      AccessKeys keys =
          new AccessKeys(
              store, Clock.systemUTC(), SecretBox.openOrCreate(dir.resolve("secret.key")));

      assertThat(keys.secretFor("AKIAOLDKEY0000000001")).isEqualTo(clear);
      assertThat(keys.get("AKIAOLDKEY0000000001").scope()).isEqualTo(KeyScope.ADMIN);
      assertThat(store.load(AccessKeys.KIND).get(0).body()).doesNotContain(clear);
    }
  }

  @Test
  void anotherKeyFileOpensNoStoredSecret() throws Exception {
    try (SqliteStore store = SqliteStore.open(dir.resolve("berth.db"))) {
      new AccessKeys(store, Clock.systemUTC(), SecretBox.openOrCreate(dir.resolve("secret.key")))
          .create();
      assertThatThrownBy(
              () ->
                  new AccessKeys(
                      store, Clock.systemUTC(), SecretBox.openOrCreate(dir.resolve("other.key"))))
          .hasMessageContaining("does not open with this key file");
    }
  }
}
