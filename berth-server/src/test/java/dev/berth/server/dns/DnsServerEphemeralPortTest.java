package dev.berth.server.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.ListenException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server asked for any port gets the same free port for UDP and TCP even when another process
 * takes the TCP port between the two binds; the test takes it, through the seam between them.
 */
class DnsServerEphemeralPortTest {
  private static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

  private final DnsResponder responder = new DnsResponder(new ZoneDirectory());
  private final List<ServerSocket> taken = new ArrayList<>();

  @AfterEach
  void release() throws IOException {
    for (ServerSocket socket : taken) {
      socket.close();
    }
  }

  @Test
  void aTcpPortTakenBetweenTheBindsIsLeftForAnotherFreePort() throws Exception {
    List<Integer> tried = new ArrayList<>();

    try (DnsServer server =
        DnsServer.start(
            ANY_PORT,
            responder,
            2,
            bound -> {
              tried.add(bound.getPort());
              if (tried.size() <= 2) {
                take(bound);
              }
            })) {
      int port = server.address().getPort();

      assertThat(tried).hasSize(3).doesNotHaveDuplicates().endsWith(port);
      assertThat(taken).extracting(ServerSocket::getLocalPort).doesNotContain(port);
      // The UDP sockets of the failed attempts are closed: their ports can be bound again.
      for (int failed : tried.subList(0, 2)) {
        new DatagramSocket(failed, InetAddress.getLoopbackAddress()).close();
      }
    }
  }

  @Test
  void aServerThatFindsEveryTcpPortTakenSaysWhichItLastTried() {
    List<Integer> tried = new ArrayList<>();

    assertThatThrownBy(
            () ->
                DnsServer.start(
                    ANY_PORT,
                    responder,
                    1,
                    bound -> {
                      tried.add(bound.getPort());
                      take(bound);
                    }))
        .isInstanceOfSatisfying(
            ListenException.class,
            error -> {
              assertThat(error.purpose()).isEqualTo(ListenException.Purpose.DNS_TCP);
              assertThat(error.address().getPort()).isEqualTo(tried.getLast());
            });
    assertThat(tried).hasSize(DnsServer.EPHEMERAL_ATTEMPTS);
  }

  @Test
  void aNamedPortWhoseTcpSideIsTakenFailsWithoutTryingAnother() throws Exception {
    try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      InetSocketAddress named = new InetSocketAddress("127.0.0.1", other.getLocalPort());
      List<Integer> tried = new ArrayList<>();

      assertThatThrownBy(() -> DnsServer.start(named, responder, 1, bound -> tried.add(0)))
          .isInstanceOfSatisfying(
              ListenException.class,
              error -> {
                assertThat(error.purpose()).isEqualTo(ListenException.Purpose.DNS_TCP);
                assertThat(error.address()).isEqualTo(named);
              });
      assertThat(tried).hasSize(1);
    }
  }

  /** Listens on TCP at the address, as another process would, until the test ends. */
  private void take(InetSocketAddress address) {
    try {
      taken.add(new ServerSocket(address.getPort(), 1, address.getAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
