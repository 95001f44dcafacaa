package dev.berth.server.auth;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the secrets the store keeps (secret access keys, activation codes) with AES-256-GCM under a
 * key held in a file of its own, so that a copy of the store alone reveals no secret.
 */
public final class SecretBox {
  /** The prefix of a sealed value: its format's version, so that another can follow. */
  static final String SEALED_PREFIX = "aes-gcm:";

  private static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKey key;
  private final SecureRandom random = new SecureRandom();

  private SecretBox(SecretKey key) {
    this.key = requireNonNull(key);
  }

  /**
   * Returns the box whose key is in the file, creating the file (owner-only, 0600) with a new
   * random key if it does not exist.
   */
  public static SecretBox openOrCreate(Path keyFile) {
    try {
      if (!Files.exists(keyFile)) {
        Files.createDirectories(keyFile.toAbsolutePath().getParent());
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(KEY_BYTES * 8);
        byte[] fresh = generator.generateKey().getEncoded();
        try {
          Files.createFile(
              keyFile,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(
              keyFile, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException raced) {
          // Another process made it first: use theirs.
        }
      }
      byte[] bytes =
          Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.UTF_8).trim());
      if (bytes.length != KEY_BYTES) {
        throw new IllegalStateException(
            keyFile + " does not hold a " + KEY_BYTES + "-byte AES key in Base64");
      }
      return new SecretBox(new SecretKeySpec(bytes, "AES"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret key file " + keyFile, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no AES", e);
    }
  }

  /** Returns true if the value was sealed by a box (of any key), false if it is clear text. */
  static boolean isSealed(String value) {
    return value != null && value.startsWith(SEALED_PREFIX);
  }

  /** Returns the text sealed: a fresh random IV, then the ciphertext and its tag, in Base64. */
  public String seal(String clear) {
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed);
      return SEALED_PREFIX + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal a secret", e);
    }
  }

  /** Returns the clear text of a sealed value; fails if the key is not the one that sealed it. */
  public String open(String sealed) {
    if (!isSealed(sealed)) {
      throw new IllegalArgumentException("not a sealed value");
    }
    byte[] bytes = Base64.getDecoder().decode(sealed.substring(SEALED_PREFIX.length()));
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
      return new String(
          cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "a stored secret does not open with this key file: is it the data directory's own?", e);
    }
  }
}
