package dev.berth.app.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Linux network namespace of a test's own, joined to the host by a veth pair on a /30 of
 * 10.213.0.0/16 that the test picks: a process run in it sees another host's network, reaching this
 * one only at {@link #hostAddress()}. Needs root and iproute2; closing deletes both.
 */
final class NetworkNamespace implements AutoCloseable {
  private final String name;
  private final String hostAddress;

  private NetworkNamespace(String name, String hostAddress) {
    this.name = name;
    this.hostAddress = hostAddress;
  }

  /** Returns true if this machine lets the test create namespaces (root, with the ip command). */
  static boolean available() {
    try {
      return ip("netns", "list") == 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Creates the namespace, its veth pair and their addresses, and brings them up. */
  static NetworkNamespace create() {
    int id = ThreadLocalRandom.current().nextInt(1 << 14);
    String name = "berth-e2e-" + id;
    String prefix = "10.213." + (id >> 6) + ".";
    int network = (id & 63) * 4;
    String host = prefix + (network + 1);
    String inside = prefix + (network + 2);
    String hostLink = "bh" + id;
    String insideLink = "bn" + id;
    NetworkNamespace namespace = new NetworkNamespace(name, host);
    run("netns", "add", name);
    try {
      run("link", "add", hostLink, "type", "veth", "peer", "name", insideLink);
      run("link", "set", insideLink, "netns", name);
      run("addr", "add", host + "/30", "dev", hostLink);
      run("link", "set", hostLink, "up");
      run("netns", "exec", name, "ip", "addr", "add", inside + "/30", "dev", insideLink);
      run("netns", "exec", name, "ip", "link", "set", insideLink, "up");
      run("netns", "exec", name, "ip", "link", "set", "lo", "up");
    } catch (RuntimeException e) {
      namespace.close();
      throw e;
    }
    return namespace;
  }

  /** Returns the host's end of the veth pair: the one address of this host the namespace sees. */
  String hostAddress() {
    return hostAddress;
  }

  /** Returns the command prefix that runs a command in the namespace. */
  List<String> exec() {
    return List.of("ip", "netns", "exec", name);
  }

  /** Deletes the namespace, which deletes its veth pair too. */
  @Override
  public void close() {
    ip("netns", "del", name);
  }

  private static void run(String... args) {
    int status = ip(args);
    if (status != 0) {
      throw new IllegalStateException("ip " + String.join(" ", args) + " exited " + status);
    }
  }

  private static int ip(String... args) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("ip " + String.join(" ", args) + " did not end");
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
