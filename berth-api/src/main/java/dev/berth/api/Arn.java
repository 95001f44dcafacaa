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
    // Five colons split the six parts; the resource after the fifth may hold more. Found by hand
    // rather than with split(), which builds a list and an array on a path every request takes.
    int[] colons = new int[5];
    int from = 0;
    for (int i = 0; i < colons.length; i++) {
      colons[i] = text.indexOf(':', from);
      if (colons[i] < 0) {
        return null;
      }
      from = colons[i] + 1;
    }
    String partition = text.substring(colons[0] + 1, colons[1]);
    String service = text.substring(colons[1] + 1, colons[2]);
    String resource = text.substring(colons[4] + 1);
    if (partition.isEmpty() || service.isEmpty() || resource.isEmpty()) {
      return null;
    }
    return new Arn(
        partition,
        service,
        text.substring(colons[2] + 1, colons[3]),
        text.substring(colons[3] + 1, colons[4]),
        resource);
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
