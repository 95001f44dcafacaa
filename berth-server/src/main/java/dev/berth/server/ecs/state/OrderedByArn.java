package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The latest record of each member of a cluster (its tasks, its container instances) by ARN, listed
 * in ARN order. A member joins the ordered map once, when first put: replacing its record, which
 * happens far more often, touches only the hash map. The order is kept by the ARN's last part,
 * since the ARNs of one cluster differ only there and comparing whole ARNs would read their shared
 * first forty-odd characters at every step. Written by the cluster's writer; reads are safe from
 * any thread.
 */
final class OrderedByArn<T> {
  private final ConcurrentSkipListMap<String, String> order = new ConcurrentSkipListMap<>();
  private final Map<String, T> latest = new ConcurrentHashMap<>();

  /** Returns the record with that ARN, or null. */
  T get(String arn) {
    return latest.get(requireNonNull(arn));
  }

  /** Returns true if a record has that ARN. */
  boolean contains(String arn) {
    return latest.containsKey(requireNonNull(arn));
  }

  /** Puts a record under its ARN; returns the one it replaces, or null. */
  T put(String arn, T value) {
    T old = latest.put(requireNonNull(arn), requireNonNull(value));
    if (old == null) {
      order.put(id(arn), arn);
    }
    return old;
  }

  /** Removes the record with that ARN; returns it, or null. */
  T remove(String arn) {
    T old = latest.remove(requireNonNull(arn));
    if (old != null) {
      order.remove(id(arn));
    }
    return old;
  }

  /** Returns every record in ARN order: a live read-only view. */
  Collection<T> values() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<T> iterator() {
        return records(order.values().iterator());
      }

      @Override
      public int size() {
        return order.size();
      }
    };
  }

  /**
   * Returns the records whose ARN comes after the one given (every record for null), in ARN order:
   * a live read-only view that starts there without reading the records before it.
   */
  Iterable<T> after(String arn) {
    return arn == null
        ? values()
        : () -> records(order.tailMap(id(arn), false).values().iterator());
  }

  private Iterator<T> records(Iterator<String> arns) {
    return new Iterator<>() {
      private T next = advance();

      private T advance() {
        while (arns.hasNext()) {
          // A record removed since its ARN was read is skipped.
          T value = latest.get(arns.next());
          if (value != null) {
            return value;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public T next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        T current = next;
        next = advance();
        return current;
      }
    };
  }

  /**
   * Returns the last part of an ARN, which orders the ARNs of one cluster as the whole ARN does.
   */
  static String id(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }
}
