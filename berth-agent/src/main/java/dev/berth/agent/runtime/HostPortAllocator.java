package dev.berth.agent.runtime;

import dev.berth.agent.runtime.PortBinding.Protocol;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The host ports of one agent: hands out dynamic ports from a range (ECS's ephemeral range by
 * default) that are free on the publish address and not already given to a container of ours, and
 * claims the static ones a definition asks for.
 */
public final class HostPortAllocator {
  /** The first port of the default dynamic range, as the ECS agent uses. */
  public static final int DEFAULT_FIRST = 32768;

  /** The last port of the default dynamic range. */
  public static final int DEFAULT_LAST = 60999;

  private record Key(int port, Protocol protocol) {}

  private final String bindAddress;
  private final InetAddress probeAddress;
  private final int first;
  private final int last;
  private final Set<Key> inUse = new HashSet<>();
  private int next;

  /**
   * Creates an allocator publishing on the address (null or {@code 0.0.0.0} for every address) and
   * handing out dynamic ports from {@code first} to {@code last}, inclusive.
   */
  public HostPortAllocator(String bindAddress, int first, int last) {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException("bad port range " + first + "-" + last);
    }
    this.bindAddress = bindAddress == null || bindAddress.equals("0.0.0.0") ? null : bindAddress;
    try {
      this.probeAddress =
          this.bindAddress == null
              ? InetAddress.getByAddress(new byte[4])
              : InetAddress.getByName(this.bindAddress);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad bind address " + bindAddress, e);
    }
    this.first = first;
    this.last = last;
    this.next = first;
  }

  /** Creates an allocator over the default range. */
  public static HostPortAllocator withDefaultRange(String bindAddress) {
    return new HostPortAllocator(bindAddress, DEFAULT_FIRST, DEFAULT_LAST);
  }

  /** Returns the address ports are published on, or null for every address. */
  public String bindAddress() {
    return bindAddress;
  }

  /**
   * Returns the first of {@code count} consecutive free ports and marks them in use; throws a
   * {@code CannotCreateContainerError} failure when the range has no such run.
   */
  public synchronized int allocate(Protocol protocol, int count) {
    int size = last - first + 1;
    if (count < 1 || count > size) {
      throw new IllegalArgumentException("cannot allocate " + count + " ports");
    }
    // Go round the range from where the last allocation ended, so a port just released is not
    // handed out again at once (its old connections may still be draining).
    for (int i = 0; i < size; i++) {
      int start = first + (next - first + i) % size;
      if (start + count - 1 > last) {
        continue;
      }
      if (runIsFree(start, count, protocol)) {
        for (int port = start; port < start + count; port++) {
          inUse.add(new Key(port, protocol));
        }
        next = start + count > last ? first : start + count;
        return start;
      }
    }
    throw new RuntimeFailure(
        RuntimeFailure.CANNOT_CREATE,
        "no "
            + count
            + " free consecutive host "
            + protocol.text()
            + " ports in "
            + first
            + "-"
            + last
            + " on "
            + describeAddress());
  }

  /**
   * Marks a static host port in use; throws a {@code CannotCreateContainerError} failure if a
   * container of ours already has it or something else is bound to it.
   */
  public synchronized void claim(int port, Protocol protocol) {
    Key key = new Key(port, protocol);
    if (inUse.contains(key)) {
      throw new RuntimeFailure(
          RuntimeFailure.CANNOT_CREATE,
          "host port " + port + "/" + protocol.text() + " is already used by another container");
    }
    if (!isFree(port, protocol)) {
      throw new RuntimeFailure(
          RuntimeFailure.CANNOT_CREATE,
          "host port " + port + "/" + protocol.text() + " is in use on " + describeAddress());
    }
    inUse.add(key);
  }

  /** Marks ports as in use without checking, e.g. those of containers adopted after a restart. */
  public synchronized void markInUse(Collection<PortBinding> bindings) {
    for (PortBinding binding : bindings) {
      if (binding.hostPort() > 0) {
        inUse.add(new Key(binding.hostPort(), binding.protocol()));
      }
    }
  }

  /** Gives the host ports of the bindings back. */
  public synchronized void release(Collection<PortBinding> bindings) {
    for (PortBinding binding : bindings) {
      inUse.remove(new Key(binding.hostPort(), binding.protocol()));
    }
  }

  /** Gives a host port back. */
  public synchronized void release(int port, Protocol protocol) {
    inUse.remove(new Key(port, protocol));
  }

  /** Returns true if the port is marked in use by a container of ours. */
  public synchronized boolean isInUse(int port, Protocol protocol) {
    return inUse.contains(new Key(port, protocol));
  }

  private boolean runIsFree(int start, int count, Protocol protocol) {
    for (int port = start; port < start + count; port++) {
      if (inUse.contains(new Key(port, protocol)) || !isFree(port, protocol)) {
        return false;
      }
    }
    return true;
  }

  private boolean isFree(int port, Protocol protocol) {
    InetSocketAddress address = new InetSocketAddress(probeAddress, port);
    try {
      if (protocol == Protocol.TCP) {
        try (ServerSocket socket = new ServerSocket()) {
          // Connections of an earlier user in TIME_WAIT do not make the port busy.
          socket.setReuseAddress(true);
          socket.bind(address);
        }
      } else {
        try (DatagramSocket socket = new DatagramSocket(null)) {
          socket.bind(address);
        }
      }
      return true;
    } catch (IOException busy) {
      return false;
    }
  }

  private String describeAddress() {
    return bindAddress == null ? "0.0.0.0" : bindAddress;
  }
}
