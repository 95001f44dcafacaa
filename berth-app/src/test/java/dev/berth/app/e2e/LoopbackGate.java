package dev.berth.app.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port in front of a server, which a test can shut to cut an agent off
 * its server and open again: shutting drops every relayed connection and refuses new ones until it
 * opens.
 */
final class LoopbackGate implements AutoCloseable {
  private final ServerSocket listener;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile int targetPort;
  private volatile boolean open = true;

  LoopbackGate() {
    try {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofVirtual().name("loopback-gate").start(this::accept);
  }

  /** Relays to the port of the server's endpoint, and returns the gate's endpoint instead. */
  URI relayTo(URI server) {
    targetPort = server.getPort();
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** Drops every relayed connection and refuses new ones. */
  void shut() {
    open = false;
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
  }

  /** Relays new connections again. */
  void open() {
    open = true;
  }

  @Override
  public void close() {
    shut();
    closeQuietly(listener);
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException closed) {
        return;
      }
      if (!open) {
        closeQuietly(client);
        continue;
      }
      Socket upstream;
      try {
        upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
      } catch (IOException refused) {
        closeQuietly(client);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      Thread.ofVirtual().start(() -> pipe(client, upstream));
      Thread.ofVirtual().start(() -> pipe(upstream, client));
    }
  }

  private void pipe(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException dropped) {
      // One side went away: the other goes too.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Closing is all that was wanted.
    }
  }
}
