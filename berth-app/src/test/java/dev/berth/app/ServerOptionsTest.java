package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Where local mode and the server put their DNS server, from the flags given. */
class ServerOptionsTest {
  private static ServerOptions local(String... args) {
    LocalCommand command = new LocalCommand();
    new CommandLine(command).parseArgs(args);
    return command.options;
  }

  @Test
  void theDefaultPortsAre4747And4753() {
    assertThat(local().dnsAddress("127.0.0.1")).isEqualTo(new InetSocketAddress("127.0.0.1", 4753));
  }

  @Test
  void aPortAloneMovesTheDnsPortWithIt() {
    assertThat(local("--port", "5000").dnsAddress("127.0.0.1"))
        .isEqualTo(new InetSocketAddress("127.0.0.1", 5006));
  }

  @Test
  void aDnsPortGivenWinsOverTheDerivedOne() {
    assertThat(local("--port", "5000", "--dns-port", "5353").dnsAddress("127.0.0.1"))
        .isEqualTo(new InetSocketAddress("127.0.0.1", 5353));
  }

  @Test
  void dnsPortZeroTurnsDnsOff() {
    assertThat(local("--port", "5000", "--dns-port", "0").dnsAddress("127.0.0.1")).isNull();
  }

  @Test
  void anyFreeApiPortTakesAnyFreeDnsPort() {
    assertThat(local("--port", "0").dnsAddress("127.0.0.1").getPort()).isZero();
  }

  @Test
  void aPortWithNoRoomAboveItAsksForADnsPort() {
    assertThatThrownBy(() -> local("--port", "65533").dnsAddress("127.0.0.1"))
        .hasMessageContaining("--dns-port");
  }
}
