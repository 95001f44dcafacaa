package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.runtime.PortBinding.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostPortAllocatorTest {
  private static ServerSocket listenOnAnyFreePort() throws Exception {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return socket;
  }

  @Test
  void portBoundBySomethingElseIsNotHandedOut() throws Exception {
    try (ServerSocket busy = listenOnAnyFreePort()) {
      int port = busy.getLocalPort();
      HostPortAllocator ports = new HostPortAllocator("127.0.0.1", port, port);

      assertThatThrownBy(() -> ports.allocate(Protocol.TCP, 1))
          .isInstanceOf(RuntimeFailure.class)
          .hasMessageStartingWith("CannotCreateContainerError: no 1 free consecutive host tcp");
      assertThatThrownBy(() -> ports.claim(port, Protocol.TCP))
          .hasMessageContaining("is in use on 127.0.0.1");
    }
  }

  @Test
  void portGivenToOneContainerIsNotGivenToAnotherUntilReleased() throws Exception {
    int port;
    try (ServerSocket probe = listenOnAnyFreePort()) {
      port = probe.getLocalPort();
    }
    HostPortAllocator ports = new HostPortAllocator("127.0.0.1", port, port);

    assertThat(ports.allocate(Protocol.TCP, 1)).isEqualTo(port);
    assertThatThrownBy(() -> ports.allocate(Protocol.TCP, 1)).isInstanceOf(RuntimeFailure.class);
    assertThatThrownBy(() -> ports.claim(port, Protocol.TCP))
        .hasMessageContaining("already used by another container");
    // The same number over UDP is another port.
    assertThat(ports.isInUse(port, Protocol.UDP)).isFalse();

    ports.release(port, Protocol.TCP);
    assertThat(ports.allocate(Protocol.TCP, 1)).isEqualTo(port);
  }

  @Test
  void allocationGoesRoundTheRangeAndHandsOutRuns() throws Exception {
    HostPortAllocator ports = new HostPortAllocator("127.0.0.1", 21000, 21099);

    int first = ports.allocate(Protocol.TCP, 1);
    int run = ports.allocate(Protocol.TCP, 3);
    assertThat(first).isBetween(21000, 21099);
    assertThat(run).isGreaterThan(first).isLessThanOrEqualTo(21097);
    assertThat(ports.isInUse(run + 2, Protocol.TCP)).isTrue();

    ports.release(List.of(new PortBinding(80, first, Protocol.TCP, "127.0.0.1")));
    assertThat(ports.isInUse(first, Protocol.TCP)).isFalse();
    // A port just released is not the next one handed out.
    assertThat(ports.allocate(Protocol.TCP, 1)).isNotEqualTo(first);
  }

  @Test
  void adoptedContainersPortsAreMarkedWithoutChecks() throws Exception {
    try (ServerSocket busy = listenOnAnyFreePort()) {
      int port = busy.getLocalPort();
      HostPortAllocator ports = HostPortAllocator.withDefaultRange("127.0.0.1");

      ports.markInUse(List.of(new PortBinding(8080, port, Protocol.TCP, "127.0.0.1")));

      assertThat(ports.isInUse(port, Protocol.TCP)).isTrue();
    }
  }
}
