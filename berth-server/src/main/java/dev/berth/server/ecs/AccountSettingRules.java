package dev.berth.server.ecs;

import dev.berth.api.Arn;
import dev.berth.server.api.RequestContext;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ECS's account setting names (the model's SettingName), the values each takes, the value each has
 * where nobody set it, and who may set what.
 */
final class AccountSettingRules {
  /** A setting's accepted values and the value it has where nobody set it. */
  private record Values(List<String> accepted, String awsDefault) {}

  private static final Values ON_BY_DEFAULT = new Values(List.of("enabled", "disabled"), "enabled");
  private static final Values OFF_BY_DEFAULT =
      new Values(List.of("enabled", "disabled"), "disabled");

  /** Every setting name of the model with its values and its default. */
  private static final Map<String, Values> SETTINGS =
      Map.ofEntries(
          Map.entry("serviceLongArnFormat", ON_BY_DEFAULT),
          Map.entry("taskLongArnFormat", ON_BY_DEFAULT),
          Map.entry("containerInstanceLongArnFormat", ON_BY_DEFAULT),
          Map.entry("awsvpcTrunking", OFF_BY_DEFAULT),
          Map.entry(
              "containerInsights",
              new Values(List.of("enabled", "disabled", "enhanced"), "disabled")),
          Map.entry("fargateFIPSMode", OFF_BY_DEFAULT),
          Map.entry("tagResourceAuthorization", new Values(List.of("on", "off"), "on")),
          Map.entry("fargateTaskRetirementWaitPeriod", new Values(List.of("0", "7", "14"), "7")),
          Map.entry("guardDutyActivate", new Values(List.of("on", "off"), "off")),
          Map.entry(
              "defaultLogDriverMode",
              new Values(List.of("blocking", "non-blocking"), "non-blocking")),
          Map.entry("fargateEventWindows", OFF_BY_DEFAULT));

  /** Every setting name of the model, in the model's order. */
  private static final List<String> NAMES = EcsService.MODEL.enumValues("SettingName");

  /** The setting AWS manages for the account: readable, never set by a user. */
  static final String AWS_MANAGED = "guardDutyActivate";

  /** The setting only the root user may set, for the whole account. */
  private static final String ROOT_ONLY = "fargateTaskRetirementWaitPeriod";

  private static final Pattern IAM_PRINCIPAL =
      Pattern.compile("root|(user|role)/[\\w+=,.@/-]{1,512}");

  private AccountSettingRules() {}

  /** Returns every setting name of the model, in the model's order. */
  static List<String> names() {
    return NAMES;
  }

  /** Returns true if Berth knows the values of a setting name. */
  static boolean known(String name) {
    return SETTINGS.containsKey(name);
  }

  /** Returns the value a setting has where neither the principal nor the account set it. */
  static String awsDefault(String name) {
    return SETTINGS.get(name).awsDefault();
  }

  /** Returns ECS's setting type: aws_managed for the one AWS manages, else user. */
  static String type(String name) {
    return AWS_MANAGED.equals(name) ? "aws_managed" : "user";
  }

  /** Returns the ARN of the account's root user, whose settings are the account's defaults. */
  static String root(RequestContext context) {
    return "arn:aws:iam::" + context.accountId() + ":root";
  }

  /**
   * Returns the principal a request names, or the caller's when it names none. Berth's access keys
   * belong to the account rather than to IAM users, so the caller is the account's root user.
   */
  static String principal(RequestContext context, String principalArn) {
    if (principalArn == null) {
      return root(context);
    }
    Arn arn = Arn.parse(principalArn);
    if (arn == null
        || !"iam".equals(arn.service())
        || !context.accountId().equals(arn.account())
        || !IAM_PRINCIPAL.matcher(arn.resource()).matches()) {
      throw EcsErrors.invalidParameter(
          "principalArn must be the ARN of a user, a role or the root user of account "
              + context.accountId()
              + ".");
    }
    return principalArn;
  }

  /** Checks that a setting may be set to a value for a principal, as ECS does. */
  static void checkPut(RequestContext context, String name, String value, String principalArn) {
    Values values = SETTINGS.get(name);
    if (values == null) {
      throw EcsErrors.invalidParameter("Unknown account setting name " + name + ".");
    }
    if (AWS_MANAGED.equals(name)) {
      throw EcsErrors.invalidParameter(
          "The " + name + " account setting is managed by AWS and cannot be changed.");
    }
    if (!values.accepted().contains(value)) {
      throw EcsErrors.invalidParameter(
          "Invalid value '"
              + value
              + "' for "
              + name
              + ". Valid values: "
              + String.join(", ", values.accepted())
              + ".");
    }
    if (ROOT_ONLY.equals(name) && !root(context).equals(principalArn)) {
      throw EcsErrors.invalidParameter(
          "You must use the root user to set " + ROOT_ONLY + " for the account.");
    }
  }
}
