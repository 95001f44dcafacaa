package dev.berth.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The API port's default connection cap follows the process's open-file limit. */
class ConnectionLimitsTest {
  @Test
  void theDefaultCapIsThreeQuartersOfTheOpenFileLimitWithinBounds() {
    assertThat(ConnectionLimits.capFor(1024)).isEqualTo(768);
    // A fleet of 5,000 agents fits under a limit of 20,000, as bench placement sets it.
    assertThat(ConnectionLimits.capFor(20_000)).isEqualTo(15_000);
    assertThat(ConnectionLimits.capFor(100)).isEqualTo(256);
    assertThat(ConnectionLimits.capFor(Long.MAX_VALUE / 2)).isEqualTo(1_000_000);
  }

  @Test
  void thisProcessGetsACapBelowItsOpenFileLimit() {
    long files =
        ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getMaxFileDescriptorCount();
    assertThat(ConnectionLimits.defaults().maxConnections())
        .isEqualTo(ConnectionLimits.capFor(files))
        .isLessThan((int) Math.min(Integer.MAX_VALUE, Math.max(files, 257)));
  }
}
