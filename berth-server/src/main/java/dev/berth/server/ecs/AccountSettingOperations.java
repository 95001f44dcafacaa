package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.api.TokenPaging;
import dev.berth.server.ecs.request.DeleteAccountSettingRequest;
import dev.berth.server.ecs.request.ListAccountSettingsRequest;
import dev.berth.server.ecs.request.PutAccountSettingDefaultRequest;
import dev.berth.server.ecs.request.PutAccountSettingRequest;
import dev.berth.server.ecs.state.AccountSetting;
import dev.berth.server.ecs.state.AccountSettings;
import dev.berth.server.statemachine.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The ECS account setting operations: PutAccountSetting, PutAccountSettingDefault,
 * ListAccountSettings and DeleteAccountSetting. A principal's own setting wins over the account's
 * default (the root user's setting), which wins over the value ECS gives where nobody set one.
 */
final class AccountSettingOperations {
  private static final int MAX_LIST = 10;

  private final EcsResources resources;

  AccountSettingOperations(EcsResources resources) {
    this.resources = requireNonNull(resources);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, EcsOperation> operations) {
    operations.put(
        "PutAccountSetting", EcsOperation.typed(PutAccountSettingRequest.class, this::put));
    operations.put(
        "PutAccountSettingDefault",
        EcsOperation.typed(PutAccountSettingDefaultRequest.class, this::putDefault));
    operations.put(
        "ListAccountSettings", EcsOperation.typed(ListAccountSettingsRequest.class, this::list));
    operations.put(
        "DeleteAccountSetting",
        EcsOperation.typed(DeleteAccountSettingRequest.class, this::delete));
  }

  /** Sets a setting for a principal, the caller when none is named. */
  CompletableFuture<JsonNode> put(PutAccountSettingRequest input, RequestContext context) {
    String principal = AccountSettingRules.principal(context, input.principalArn());
    return store(context, principal, input.name(), input.value());
  }

  /** Sets the account's default of a setting: the root user's setting. */
  CompletableFuture<JsonNode> putDefault(
      PutAccountSettingDefaultRequest input, RequestContext context) {
    String root = AccountSettingRules.root(context);
    return store(context, root, input.name(), input.value());
  }

  private CompletableFuture<JsonNode> store(
      RequestContext context, String principal, String name, String value) {
    AccountSettingRules.checkPut(context, name, value, principal);
    AccountSetting setting = new AccountSetting(context.region(), principal, name, value);
    AccountSettings settings = resources.region(context).accountSettings();
    return settings.submit(
        () -> CommandResult.of(AccountSettings.put(setting), (JsonNode) response(setting)));
  }

  /**
   * Removes a principal's own setting, so that the account's default applies to it again (for the
   * root user: ECS's default); answers the setting removed, or the one in force if there was none.
   */
  CompletableFuture<JsonNode> delete(DeleteAccountSettingRequest input, RequestContext context) {
    String principal = AccountSettingRules.principal(context, input.principalArn());
    String name = input.name();
    if (AccountSettingRules.AWS_MANAGED.equals(name)) {
      throw EcsErrors.invalidParameter(
          "The " + name + " account setting is managed by AWS and cannot be changed.");
    }
    AccountSettings settings = resources.region(context).accountSettings();
    return settings.submit(
        () -> {
          AccountSetting current = settings.get(principal, name);
          if (current == null) {
            return CommandResult.of(
                (JsonNode) response(effective(context, settings, principal, name)));
          }
          return CommandResult.of(AccountSettings.delete(current), (JsonNode) response(current));
        });
  }

  /**
   * Lists a principal's settings (the caller's when none is named): those it set itself, or with
   * effectiveSettings every setting as it applies to it; filtered by name and value, paged.
   */
  CompletableFuture<JsonNode> list(ListAccountSettingsRequest input, RequestContext context) {
    String principal = AccountSettingRules.principal(context, input.principalArn());
    String name = input.name();
    String value = input.value();
    if (value != null && name == null) {
      throw EcsErrors.invalidParameter(
          "The value filter of ListAccountSettings needs a setting name.");
    }
    AccountSettings settings = resources.region(context).accountSettings();
    List<AccountSetting> matching = new ArrayList<>();
    if (Boolean.TRUE.equals(input.effectiveSettings())) {
      for (String each : AccountSettingRules.names()) {
        if (AccountSettingRules.known(each)) {
          matching.add(effective(context, settings, principal, each));
        }
      }
    } else {
      matching.addAll(settings.of(principal));
    }
    matching.removeIf(
        setting ->
            (name != null && !name.equals(setting.name()))
                || (value != null && !value.equals(setting.value())));
    // Sorted by name so that a nextToken (the last name) marks a place in any later listing.
    matching.sort(java.util.Comparator.comparing(AccountSetting::name));
    TokenPaging.Page<AccountSetting> page =
        Paging.page(
            "ListAccountSettings",
            matching,
            AccountSetting::name,
            false,
            input.maxResults(),
            input.nextToken(),
            MAX_LIST);
    ObjectNode response = Json.object();
    ArrayNode items = response.putArray("settings");
    page.items().forEach(setting -> items.add(toJson(setting)));
    if (page.nextToken() != null) {
      response.put("nextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(response);
  }

  /**
   * Returns the setting in force for a principal: its own, else the account's default (the root
   * user's), else ECS's default, which is the root user's until someone sets it.
   */
  static AccountSetting effective(
      RequestContext context, AccountSettings settings, String principal, String name) {
    AccountSetting own = settings.get(principal, name);
    if (own != null) {
      return own;
    }
    String root = AccountSettingRules.root(context);
    AccountSetting account = settings.get(root, name);
    if (account != null) {
      return account;
    }
    return new AccountSetting(context.region(), root, name, AccountSettingRules.awsDefault(name));
  }

  private static ObjectNode response(AccountSetting setting) {
    ObjectNode response = Json.object();
    response.set("setting", toJson(setting));
    return response;
  }

  /** Returns ECS's Setting shape. */
  static ObjectNode toJson(AccountSetting setting) {
    ObjectNode node = Json.object();
    node.put("name", setting.name());
    node.put("value", setting.value());
    node.put("principalArn", setting.principalArn());
    node.put("type", AccountSettingRules.type(setting.name()));
    return node;
  }
}
