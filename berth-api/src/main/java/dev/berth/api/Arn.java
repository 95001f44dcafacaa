package dev.berth.api;

import static java.util.Objects.requireNonNull;

/**
 * An Amazon Resource Name, {@code arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE}, as Berth issues
 * and accepts them.
 */
public record Arn(
    String partition, String service, String region, String account, String resource) {
  /** Creates an ARN from its five parts. */
  public Arn {
    requireNonNull(partition);
    requireNonNull(service);
    requireNonNull(region);
    requireNonNull(account);
    requireNonNull(resource);
  }

  /** Returns an ECS ARN in the aws partition, e.g. {@code cluster/default}. */
  public static Arn ecs(String region, String account, String resource) {
    return new Arn("aws", "ecs", region, account, resource);
  }

  /** Returns true if the text starts like an ARN. */
  public static boolean looksLikeArn(String text) {
    return text != null && text.startsWith("arn:");
  }

  /** Parses an ARN, or returns null if the text is not one. */
  public static Arn parse(String text) {
    if (!looksLikeArn(text)) {
      return null;
    }
    String[] parts = text.split(":", 6);
    if (parts.length != 6 || parts[1].isEmpty() || parts[2].isEmpty() || parts[5].isEmpty()) {
      return null;
    }
    return new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
  }

  /** Returns the resource type: the part of the resource before the first slash. */
  public String resourceType() {
    int slash = resource.indexOf('/');
    return slash < 0 ? resource : resource.substring(0, slash);
  }

  /** Returns the resource id: the part of the resource after the first slash, or "". */
  public String resourceId() {
    int slash = resource.indexOf('/');
    return slash < 0 ? "" : resource.substring(slash + 1);
  }

  @Override
  public String toString() {
    return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
  }
}
