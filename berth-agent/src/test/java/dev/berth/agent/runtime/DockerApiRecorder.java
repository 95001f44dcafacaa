package dev.berth.agent.runtime;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Unix socket in front of the real Docker engine's that passes every byte through and records the
 * request line of each Engine API call, so a test sees which calls a runtime made (e.g. whether it
 * pulled) rather than trusting what the runtime says it did.
 */
final class DockerApiRecorder implements AutoCloseable {
  private static final Path ENGINE = Path.of("/var/run/docker.sock");
  private static final Pattern REQUEST_LINE =
      Pattern.compile("(GET|HEAD|POST|PUT|DELETE) (/\\S*) HTTP/1\\.[01]\r\n");

  private final Path directory;
  private final Path socket;
  private final ServerSocketChannel server;
  private final List<String> requests = new ArrayList<>();
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  DockerApiRecorder() throws IOException {
    directory = Files.createTempDirectory("berth-docker-recorder");
    socket = directory.resolve("docker.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    acceptor = Thread.ofVirtual().name("docker-recorder").start(this::acceptAll);
  }

  /** Returns the address a runtime connects to, e.g. {@code unix:///tmp/.../docker.sock}. */
  String dockerHost() {
    return "unix://" + socket;
  }

  /** Returns the request lines seen so far, as "POST /v1.41/images/create?fromImage=...". */
  synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  /** Returns the requests seen so far whose path contains the text. */
  List<String> requestsTo(String pathPart) {
    return requests().stream().filter(request -> request.contains(pathPart)).toList();
  }

  /** Forgets the requests seen so far. */
  synchronized void clear() {
    requests.clear();
  }

  @Override
  public void close() throws IOException {
    acceptor.interrupt();
    server.close();
    for (SocketChannel channel : open) {
      channel.close();
    }
    Files.deleteIfExists(socket);
    Files.deleteIfExists(directory);
  }

  private void acceptAll() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(ENGINE));
        open.add(client);
        open.add(engine);
        Thread.ofVirtual().start(() -> copy(client, engine, true));
        Thread.ofVirtual().start(() -> copy(engine, client, false));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void copy(SocketChannel from, SocketChannel to, boolean record) {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    // The tail of the previous read, so a request line split across reads is still seen whole.
    String carry = "";
    try {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        if (record) {
          String text = carry + StandardCharsets.ISO_8859_1.decode(buffer.duplicate());
          Matcher matcher = REQUEST_LINE.matcher(text);
          int end = 0;
          while (matcher.find()) {
            record(matcher.group(1) + " " + matcher.group(2));
            end = matcher.end();
          }
          String rest = text.substring(end);
          carry = rest.length() > 512 ? rest.substring(rest.length() - 512) : rest;
        }
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        buffer.clear();
      }
    } catch (IOException closed) {
      // One side went away: close both, as a direct connection would end.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private synchronized void record(String request) {
    requests.add(request);
  }

  private void closeQuietly(SocketChannel channel) {
    open.remove(channel);
    try {
      channel.close();
    } catch (IOException alreadyGone) {
      // Nothing is left to tidy on a channel that will not close.
    }
  }
}
