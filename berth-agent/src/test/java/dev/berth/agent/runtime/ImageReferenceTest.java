package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  @Test
  void tagDefaultsToLatest() {
    assertThat(ImageReference.parse("busybox")).isEqualTo(new ImageReference("busybox", "latest"));
  }

  @Test
  void registryPortIsNotATag() {
    assertThat(ImageReference.parse("localhost:5000/team/app"))
        .isEqualTo(new ImageReference("localhost:5000/team/app", "latest"));
    assertThat(ImageReference.parse("localhost:5000/team/app:1.2"))
        .isEqualTo(new ImageReference("localhost:5000/team/app", "1.2"));
  }

  @Test
  void digestIsPulledByDigest() {
    ImageReference reference = ImageReference.parse("repo/app:1.0@sha256:abc");
    assertThat(reference).isEqualTo(new ImageReference("repo/app", "sha256:abc"));
    assertThat(reference.toString()).isEqualTo("repo/app@sha256:abc");
  }

  @Test
  void pullBehaviourReadsEcsSettingValues() {
    assertThat(PullBehavior.parse("prefer-cached")).isEqualTo(PullBehavior.PREFER_CACHED);
    assertThat(PullBehavior.parse("always")).isEqualTo(PullBehavior.ALWAYS);
    assertThat(PullBehavior.parse(null)).isEqualTo(PullBehavior.DEFAULT);
  }
}
