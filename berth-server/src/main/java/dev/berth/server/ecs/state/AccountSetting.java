package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

/**
 * An ECS account setting one principal set in one region: its name (ECS's SettingName) and value.
 * The account's root principal holds the account's defaults (PutAccountSettingDefault).
 *
 * @param region the region the setting applies in; ECS keeps account settings per region
 * @param principalArn the IAM user, role or root the setting is for
 * @param name ECS's setting name, e.g. containerInsights
 * @param value the value, e.g. enabled
 */
public record AccountSetting(String region, String principalArn, String name, String value) {
  /** Creates a setting; every part is required. */
  public AccountSetting {
    requireNonNull(region);
    requireNonNull(principalArn);
    requireNonNull(name);
    requireNonNull(value);
  }

  /** Returns the key the setting is stored under: one row per region, principal and name. */
  public String key() {
    return keyOf(region, principalArn, name);
  }

  /** Returns the key of a principal's setting of a name in a region. */
  public static String keyOf(String region, String principalArn, String name) {
    return region + " " + principalArn + " " + name;
  }
}
