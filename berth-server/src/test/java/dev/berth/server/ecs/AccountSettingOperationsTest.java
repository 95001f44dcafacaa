package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.ecs.state.EcsState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Account settings through the ECS operations over an in-memory store. */
class AccountSettingOperationsTest {
  private static final String ROOT = "arn:aws:iam::000000000000:root";
  private static final String ALICE = "arn:aws:iam::000000000000:user/alice";

  private final EcsHarness harness = new EcsHarness();

  private JsonNode call(String operation, String json) {
    return harness.call(operation, json);
  }

  private static List<String> settings(JsonNode listing) {
    List<String> found = new ArrayList<>();
    for (JsonNode setting : listing.path("settings")) {
      found.add(
          setting.path("name").asText()
              + "="
              + setting.path("value").asText()
              + " "
              + setting.path("principalArn").asText()
              + " "
              + setting.path("type").asText());
    }
    return found;
  }

  @Test
  void berthKnowsTheValuesOfEverySettingNameOfTheModel() {
    assertThat(AccountSettingRules.names()).hasSize(11).allMatch(AccountSettingRules::known);
  }

  @Test
  void aSettingWithoutAPrincipalIsTheCallersWhichIsTheAccountsRootUser() {
    JsonNode put =
        call("PutAccountSetting", "{\"name\":\"containerInsights\",\"value\":\"enhanced\"}");
    assertThat(put.path("setting").toString())
        .isEqualTo(
            "{\"name\":\"containerInsights\",\"value\":\"enhanced\",\"principalArn\":\""
                + ROOT
                + "\",\"type\":\"user\"}");
    assertThat(settings(call("ListAccountSettings", "{}")))
        .containsExactly("containerInsights=enhanced " + ROOT + " user");
  }

  @Test
  void aPrincipalsOwnSettingWinsOverTheAccountDefaultWhichWinsOverEcsDefault() {
    call("PutAccountSettingDefault", "{\"name\":\"awsvpcTrunking\",\"value\":\"enabled\"}");
    call(
        "PutAccountSetting",
        "{\"name\":\"tagResourceAuthorization\",\"value\":\"off\",\"principalArn\":\""
            + ALICE
            + "\"}");
    JsonNode effective =
        call(
            "ListAccountSettings",
            "{\"effectiveSettings\":true,\"principalArn\":\"" + ALICE + "\",\"maxResults\":10}");
    assertThat(settings(effective))
        .containsExactly(
            "awsvpcTrunking=enabled " + ROOT + " user",
            "containerInsights=disabled " + ROOT + " user",
            "containerInstanceLongArnFormat=enabled " + ROOT + " user",
            "defaultLogDriverMode=non-blocking " + ROOT + " user",
            "fargateEventWindows=disabled " + ROOT + " user",
            "fargateFIPSMode=disabled " + ROOT + " user",
            "fargateTaskRetirementWaitPeriod=7 " + ROOT + " user",
            "guardDutyActivate=off " + ROOT + " aws_managed",
            "serviceLongArnFormat=enabled " + ROOT + " user",
            "tagResourceAuthorization=off " + ALICE + " user");
    assertThat(effective.path("nextToken").asText()).isNotEmpty();
    JsonNode rest =
        call(
            "ListAccountSettings",
            "{\"effectiveSettings\":true,\"principalArn\":\""
                + ALICE
                + "\",\"nextToken\":\""
                + effective.path("nextToken").asText()
                + "\"}");
    assertThat(settings(rest)).containsExactly("taskLongArnFormat=enabled " + ROOT + " user");
    assertThat(rest.has("nextToken")).isFalse();
    assertThat(settings(call("ListAccountSettings", "{\"principalArn\":\"" + ALICE + "\"}")))
        .containsExactly("tagResourceAuthorization=off " + ALICE + " user");
  }

  @Test
  void listingFiltersByNameAndValue() {
    call("PutAccountSetting", "{\"name\":\"awsvpcTrunking\",\"value\":\"enabled\"}");
    call("PutAccountSetting", "{\"name\":\"fargateFIPSMode\",\"value\":\"enabled\"}");
    assertThat(settings(call("ListAccountSettings", "{\"name\":\"fargateFIPSMode\"}")))
        .containsExactly("fargateFIPSMode=enabled " + ROOT + " user");
    assertThat(
            settings(
                call(
                    "ListAccountSettings",
                    "{\"name\":\"fargateFIPSMode\",\"value\":\"disabled\"}")))
        .isEmpty();
    assertThat(
            settings(
                call(
                    "ListAccountSettings",
                    "{\"name\":\"taskLongArnFormat\",\"value\":\"enabled\","
                        + "\"effectiveSettings\":true}")))
        .containsExactly("taskLongArnFormat=enabled " + ROOT + " user");
    assertThatThrownBy(() -> call("ListAccountSettings", "{\"value\":\"enabled\"}"))
        .isInstanceOf(AwsException.class)
        .hasFieldOrPropertyWithValue("code", "InvalidParameterException");
    assertThatThrownBy(() -> call("ListAccountSettings", "{\"maxResults\":11}"))
        .isInstanceOf(AwsException.class)
        .hasFieldOrPropertyWithValue("code", "InvalidParameterException");
  }

  @Test
  void deletingAPrincipalsSettingLetsTheAccountDefaultApplyAgain() {
    call("PutAccountSettingDefault", "{\"name\":\"containerInsights\",\"value\":\"enabled\"}");
    call(
        "PutAccountSetting",
        "{\"name\":\"containerInsights\",\"value\":\"disabled\",\"principalArn\":\""
            + ALICE
            + "\"}");
    JsonNode deleted =
        call(
            "DeleteAccountSetting",
            "{\"name\":\"containerInsights\",\"principalArn\":\"" + ALICE + "\"}");
    assertThat(deleted.path("setting").path("value").asText()).isEqualTo("disabled");
    assertThat(deleted.path("setting").path("principalArn").asText()).isEqualTo(ALICE);
    assertThat(
            settings(
                call(
                    "ListAccountSettings",
                    "{\"name\":\"containerInsights\",\"effectiveSettings\":true,"
                        + "\"principalArn\":\""
                        + ALICE
                        + "\"}")))
        .containsExactly("containerInsights=enabled " + ROOT + " user");
  }

  @Test
  void invalidValuesReadOnlySettingsAndForeignPrincipalsAreRefusedAndChangeNothing() {
    List<String[]> refused =
        List.of(
            new String[] {"PutAccountSetting", "{\"name\":\"awsvpcTrunking\",\"value\":\"on\"}"},
            new String[] {
              "PutAccountSettingDefault",
              "{\"name\":\"tagResourceAuthorization\",\"value\":\"enabled\"}"
            },
            new String[] {
              "PutAccountSettingDefault",
              "{\"name\":\"fargateTaskRetirementWaitPeriod\",\"value\":\"3\"}"
            },
            new String[] {"PutAccountSetting", "{\"name\":\"guardDutyActivate\",\"value\":\"on\"}"},
            new String[] {
              "PutAccountSetting",
              "{\"name\":\"fargateTaskRetirementWaitPeriod\",\"value\":\"14\",\"principalArn\":\""
                  + ALICE
                  + "\"}"
            },
            new String[] {
              "PutAccountSetting",
              "{\"name\":\"awsvpcTrunking\",\"value\":\"enabled\","
                  + "\"principalArn\":\"arn:aws:iam::111111111111:user/bob\"}"
            },
            new String[] {
              "PutAccountSetting",
              "{\"name\":\"awsvpcTrunking\",\"value\":\"enabled\",\"principalArn\":\"alice\"}"
            },
            new String[] {"PutAccountSetting", "{\"name\":\"noSuchSetting\",\"value\":\"on\"}"});
    int commits = harness.store.commits();
    for (String[] call : refused) {
      assertThatThrownBy(() -> call(call[0], call[1]))
          .as(call[1])
          .isInstanceOf(AwsException.class)
          .hasFieldOrPropertyWithValue("code", "InvalidParameterException");
    }
    assertThat(harness.store.commits()).isEqualTo(commits);
    assertThat(settings(call("ListAccountSettings", "{}"))).isEmpty();
  }

  @Test
  void newClustersTakeTheContainerInsightsAccountSetting() {
    call("PutAccountSettingDefault", "{\"name\":\"containerInsights\",\"value\":\"enhanced\"}");
    JsonNode created = call("CreateCluster", "{\"clusterName\":\"observed\"}");
    assertThat(created.path("cluster").path("settings").toString())
        .isEqualTo("[{\"name\":\"containerInsights\",\"value\":\"enhanced\"}]");
    JsonNode explicit =
        call(
            "CreateCluster",
            "{\"clusterName\":\"quiet\",\"settings\":[{\"name\":\"containerInsights\","
                + "\"value\":\"disabled\"}]}");
    assertThat(explicit.path("cluster").path("settings").toString())
        .isEqualTo("[{\"name\":\"containerInsights\",\"value\":\"disabled\"}]");
  }

  @Test
  void settingsAreStoredAndSurviveAReload() throws Exception {
    call("PutAccountSetting", "{\"name\":\"defaultLogDriverMode\",\"value\":\"blocking\"}");
    call("PutAccountSetting", "{\"name\":\"awsvpcTrunking\",\"value\":\"enabled\"}");
    call("DeleteAccountSetting", "{\"name\":\"awsvpcTrunking\"}");
    EcsState reloaded = new EcsState(harness.store, Runnable::run);
    reloaded.load();
    EcsService service = new EcsService(reloaded, harness.clock);
    JsonNode listing =
        service
            .invoke("ListAccountSettings", Json.MAPPER.readTree("{}"), EcsHarness.CONTEXT)
            .join();
    assertThat(settings(listing))
        .containsExactly("defaultLogDriverMode=blocking " + ROOT + " user");
  }
}
