package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void timeOrderedIdsAreThirtyTwoHexDigitsThatSortByCreation() throws Exception {
    String first = Ids.timeOrderedHex();
    Thread.sleep(2);
    String second = Ids.timeOrderedHex();

    assertThat(first).matches("[0-9a-f]{32}");
    assertThat(second).matches("[0-9a-f]{32}").isGreaterThan(first);
    assertThat(Long.parseLong(second.substring(0, 12), 16))
        .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
  }

  @Test
  void idsMadeInTheSameMillisecondDiffer() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(Ids.timeOrderedHex());
    }
    assertThat(ids).hasSize(10_000);
  }

  @Test
  void uuidsAreRandomVersionFourInTheIetfVariant() {
    UUID uuid = Ids.uuid();

    assertThat(uuid.version()).isEqualTo(4);
    assertThat(uuid.variant()).isEqualTo(2);
    assertThat(uuid.toString())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(Ids.uuid()).isNotEqualTo(uuid);
  }
}
