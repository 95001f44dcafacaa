package dev.berth.server.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.ListenException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A DNS port that is taken is named, with its protocol, in the error. */
class DnsServerBindTest {
  private final DnsResponder responder = new DnsResponder(new ZoneDirectory());

  @Test
  void aTakenUdpPortIsNamedWithItsAddress() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", taken.getLocalPort());

      assertThatThrownBy(() -> DnsServer.start(address, responder, 1))
          .isInstanceOfSatisfying(
              ListenException.class,
              error -> {
                assertThat(error.purpose()).isEqualTo(ListenException.Purpose.DNS_UDP);
                assertThat(error.address()).isEqualTo(address);
              })
          .hasMessageStartingWith(
              "cannot listen on 127.0.0.1:" + taken.getLocalPort() + " for DNS (UDP): ");
    }
  }

  @Test
  void aTakenTcpPortIsNamedWithItsAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", taken.getLocalPort());

      assertThatThrownBy(() -> DnsServer.start(address, responder, 1))
          .isInstanceOfSatisfying(
              ListenException.class,
              error -> assertThat(error.purpose()).isEqualTo(ListenException.Purpose.DNS_TCP))
          .hasMessageStartingWith(
              "cannot listen on 127.0.0.1:" + taken.getLocalPort() + " for DNS (TCP): ");
    }
  }
}
