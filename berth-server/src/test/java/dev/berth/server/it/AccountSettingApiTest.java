package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListAccountSettingsResponse;
import software.amazon.awssdk.services.ecs.model.Setting;
import software.amazon.awssdk.services.ecs.model.SettingName;
import software.amazon.awssdk.services.ecs.model.SettingType;

/** Account settings through the AWS SDK for Java v2 against a real Berth server. */
class AccountSettingApiTest {
  private static final String ROOT = "arn:aws:iam::000000000000:root";
  private static final String ROLE = "arn:aws:iam::000000000000:role/deployer";

  @Test
  void accountSettingsArePutListedPagedDeletedAndSurviveARestart() throws Exception {
    Path dir = Files.createTempDirectory("berth-settings-");
    try {
      TestServer first = TestServer.start(dir);
      try {
        EcsClient ecs = first.ecs();
        Setting put =
            ecs.putAccountSetting(r -> r.name(SettingName.TAG_RESOURCE_AUTHORIZATION).value("off"))
                .setting();
        assertThat(put.principalArn()).isEqualTo(ROOT);
        assertThat(put.type()).isEqualTo(SettingType.USER);
        ecs.putAccountSetting(
            r -> r.name(SettingName.AWSVPC_TRUNKING).value("enabled").principalArn(ROLE));
        ecs.putAccountSettingDefault(r -> r.name(SettingName.CONTAINER_INSIGHTS).value("enabled"));

        List<Setting> effective =
            ecs
                .listAccountSettingsPaginator(
                    r -> r.principalArn(ROLE).effectiveSettings(true).maxResults(4))
                .settings()
                .stream()
                .toList();
        assertThat(effective).hasSize(11);
        assertThat(effective)
            .extracting(s -> s.nameAsString() + "=" + s.value() + " " + s.principalArn())
            .contains(
                "awsvpcTrunking=enabled " + ROLE,
                "containerInsights=enabled " + ROOT,
                "tagResourceAuthorization=off " + ROOT,
                "defaultLogDriverMode=non-blocking " + ROOT);
        ListAccountSettingsResponse firstPage =
            ecs.listAccountSettings(r -> r.effectiveSettings(true).maxResults(4));
        assertThat(firstPage.settings()).hasSize(4);
        assertThat(firstPage.nextToken()).isNotNull();

        Setting deleted =
            ecs.deleteAccountSetting(r -> r.name(SettingName.AWSVPC_TRUNKING).principalArn(ROLE))
                .setting();
        assertThat(deleted.value()).isEqualTo("enabled");
        assertThat(ecs.listAccountSettings(r -> r.principalArn(ROLE)).settings()).isEmpty();

        assertThat(ecs.createCluster(r -> r.clusterName("insightful")).cluster().settings())
            .containsExactly(
                ClusterSetting.builder().name("containerInsights").value("enabled").build());
      } finally {
        first.stop();
      }
      try (TestServer restarted = TestServer.start(dir)) {
        assertThat(restarted.ecs().listAccountSettings(r -> {}).settings())
            .extracting(s -> s.nameAsString() + "=" + s.value())
            .containsExactly("containerInsights=enabled", "tagResourceAuthorization=off");
      }
    } finally {
      TestServer.deleteRecursively(dir);
    }
  }

  @Test
  void anInvalidValueIsAnInvalidParameterException() {
    try (TestServer berth = TestServer.start()) {
      assertThatThrownBy(
              () ->
                  berth
                      .ecs()
                      .putAccountSetting(
                          r -> r.name(SettingName.CONTAINER_INSIGHTS).value("sometimes")))
          .isInstanceOf(InvalidParameterException.class)
          .hasMessageContaining("containerInsights");
      assertThat(berth.ecs().listAccountSettings(r -> {}).settings()).isEmpty();
    }
  }
}
