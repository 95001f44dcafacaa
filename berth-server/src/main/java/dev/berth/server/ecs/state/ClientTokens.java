package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The RunTask client tokens one cluster keeps, by key. Records are replayed by the cluster's
 * writer; reads are safe from any thread.
 */
public final class ClientTokens {
  private final ConcurrentMap<String, ClientToken> byKey = new ConcurrentHashMap<>();

  ClientTokens() {}

  /** Returns the token kept under that key ({@link ClientToken#keyOf}), or null. */
  public ClientToken get(String key) {
    return byKey.get(requireNonNull(key));
  }

  /** Returns every token kept, in no particular order; a read-only view. */
  public Collection<ClientToken> all() {
    return Collections.unmodifiableCollection(byKey.values());
  }

  void replay(ClientToken token) {
    byKey.put(token.key(), token);
  }

  void remove(String key) {
    byKey.remove(key);
  }
}
