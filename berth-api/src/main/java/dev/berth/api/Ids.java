package dev.berth.api;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes the identifiers Berth hands out: request ids, container ids, task and container instance
 * ids. None is a secret, so they come from a fast per-thread generator rather than {@link
 * UUID#randomUUID}, whose shared secure source costs a lock and a system call on every request.
 */
public final class Ids {
  private Ids() {}

  /** Returns a random version 4 UUID. */
  public static UUID uuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
    return new UUID(high, low);
  }

  /**
   * Returns 32 lowercase hex digits, as ECS's task and container instance ids are: the first 12 are
   * the time in milliseconds and the other 20 random, so ids made later sort later. New entries
   * then join the hot end of ordered maps and of the store's index instead of a random place.
   */
  public static String timeOrderedHex() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] id = new char[32];
    hex(id, 0, 12, System.currentTimeMillis());
    hex(id, 12, 4, random.nextLong());
    hex(id, 16, 16, random.nextLong());
    return new String(id);
  }

  /** Writes the low {@code digits} hex digits of a value into the chars at {@code offset}. */
  private static void hex(char[] into, int offset, int digits, long value) {
    for (int i = offset + digits - 1; i >= offset; i--) {
      into[i] = Character.forDigit((int) (value & 0xF), 16);
      value >>>= 4;
    }
  }
}
