package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
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
}
