package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.ListenException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void anErrorIsDescribedWithTheCausesThatSayWhy() {
    IllegalStateException error =
        new IllegalStateException(
            "could not open store /data/berth.db",
            new SQLException("schema version 2 is newer than this Berth knows (1)"));

    assertThat(Main.describe(error))
        .isEqualTo(
            "could not open store /data/berth.db: schema version 2 is newer than this Berth knows"
                + " (1)");
  }

  @Test
  void aCauseThatRepeatsTheMessageIsNotSaidTwice() {
    SQLException cause = new SQLException("disk I/O error");
    RuntimeException wrapped = new RuntimeException(cause);

    assertThat(Main.describe(wrapped)).isEqualTo("java.sql.SQLException: disk I/O error");
  }

  @Test
  void aBusyPortNamesTheLikelyReason() {
    assertThat(Main.describe(new BindException("Address already in use")))
        .isEqualTo(
            "cannot listen: Address already in use (is another Berth running on that port?)");
  }

  @Test
  void aTakenDnsPortNamesItsAddressAndTheFlagThatMovesIt() {
    ListenException error =
        new ListenException(
            ListenException.Purpose.DNS_UDP,
            new InetSocketAddress("127.0.0.1", 4753),
            new BindException("Address already in use"));

    assertThat(Main.describe(error))
        .startsWith("cannot listen on 127.0.0.1:4753 for DNS (UDP): Address already in use")
        .contains("--dns-port N");
  }

  @Test
  void aTakenApiPortNamesItsAddressAndTheFlagThatMovesIt() {
    ListenException error =
        new ListenException(
            ListenException.Purpose.API,
            new InetSocketAddress("127.0.0.1", 4747),
            new BindException("Address already in use"));

    assertThat(Main.describe(error))
        .startsWith("cannot listen on 127.0.0.1:4747 for the API: Address already in use")
        .contains("--port N");
  }
}
