package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArnTest {
  @Test
  void parsesTheSixPartsKeepingColonsAndSlashesOfTheResource() {
    Arn arn = Arn.parse("arn:aws:ecs:us-east-1:123456789012:task-definition/web:7");

    assertThat(arn)
        .isEqualTo(new Arn("aws", "ecs", "us-east-1", "123456789012", "task-definition/web:7"));
    assertThat(arn.resourceType()).isEqualTo("task-definition");
    assertThat(arn.resourceId()).isEqualTo("web:7");
    assertThat(arn.toString())
        .isEqualTo("arn:aws:ecs:us-east-1:123456789012:task-definition/web:7");
  }

  @Test
  void keepsEmptyRegionAndAccountAsS3ArnsHaveThem() {
    assertThat(Arn.parse("arn:aws:s3:::bucket/key"))
        .isEqualTo(new Arn("aws", "s3", "", "", "bucket/key"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "cluster/default",
        "arn:aws:ecs:us-east-1:123456789012",
        "arn:aws:ecs:us-east-1:123456789012:",
        "arn::ecs:us-east-1:123456789012:cluster/x",
        "arn:aws::us-east-1:123456789012:cluster/x"
      })
  void refusesWhatIsNotAnArn(String text) {
    assertThat(Arn.parse(text)).isNull();
  }
}
