package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import dev.berth.api.Arn;
import dev.berth.api.Ids;
import dev.berth.server.api.RequestContext;
import dev.berth.server.ecs.state.Cluster;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.EcsState;
import dev.berth.server.ecs.state.RegionState;
import dev.berth.server.ecs.state.TaskDefinition;
import java.util.regex.Pattern;

/**
 * Finds ECS resources the way ECS does: clusters by name or ARN (the {@code default} cluster when
 * none is named), task definitions by family, {@code family:revision} or ARN; and makes their ARNs.
 */
final class EcsResources {
  /** ECS's rule for cluster names and task definition families. */
  static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");

  /** What a container instance or task id may look like (ECS ids are 32 hex digits). */
  private static final Pattern ID = Pattern.compile("[a-zA-Z0-9_-]{1,255}");

  private final EcsState state;

  EcsResources(EcsState state) {
    this.state = requireNonNull(state);
  }

  /** Returns the state of the request's region. */
  RegionState region(RequestContext context) {
    return state.region(context.region());
  }

  /** Returns the ARN of a cluster in the request's region and account. */
  static String clusterArn(RequestContext context, String name) {
    return Arn.ecs(context.region(), context.accountId(), "cluster/" + name).toString();
  }

  /** Returns the ARN of a task definition revision in the request's region and account. */
  static String taskDefinitionArn(RequestContext context, String family, int revision) {
    return Arn.ecs(
            context.region(), context.accountId(), "task-definition/" + family + ":" + revision)
        .toString();
  }

  /** Returns the ARN of a container instance of a cluster. */
  static String containerInstanceArn(String region, String account, String cluster, String id) {
    return Arn.ecs(region, account, "container-instance/" + cluster + "/" + id).toString();
  }

  /** Returns the ARN of a task of a cluster. */
  static String taskArn(String region, String account, String cluster, String id) {
    return Arn.ecs(region, account, "task/" + cluster + "/" + id).toString();
  }

  /**
   * Returns a new id for a container instance or task: 32 hex digits, as ECS makes them, that sort
   * by creation ({@link Ids#timeOrderedHex}).
   */
  static String newId() {
    return Ids.timeOrderedHex();
  }

  /**
   * Returns the ARN a container instance identifier (an id or a full ARN) stands for in a cluster,
   * or null if it cannot name one there.
   */
  static String containerInstanceArn(RequestContext context, String cluster, String identifier) {
    return memberArn(context, cluster, "container-instance", identifier);
  }

  /**
   * Returns the ARN a task identifier (an id or a full ARN) stands for in a cluster, or null if it
   * cannot name one there.
   */
  static String taskArn(RequestContext context, String cluster, String identifier) {
    return memberArn(context, cluster, "task", identifier);
  }

  private static String memberArn(
      RequestContext context, String cluster, String type, String identifier) {
    if (identifier == null || identifier.isEmpty()) {
      return null;
    }
    if (Arn.looksLikeArn(identifier)) {
      Arn arn = Arn.parse(identifier);
      boolean ours =
          arn != null
              && "ecs".equals(arn.service())
              && type.equals(arn.resourceType())
              && context.region().equals(arn.region())
              && context.accountId().equals(arn.account())
              && arn.resourceId().equals(cluster + "/" + lastPart(arn.resourceId()));
      return ours ? arn.toString() : null;
    }
    if (!ID.matcher(identifier).matches()) {
      return null;
    }
    return Arn.ecs(context.region(), context.accountId(), type + "/" + cluster + "/" + identifier)
        .toString();
  }

  private static String lastPart(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * Returns the cluster name an identifier stands for (a name or a cluster ARN of this region and
   * account), {@code default} for null, or null if the identifier cannot name a cluster here.
   */
  static String clusterName(RequestContext context, String identifier) {
    if (identifier == null) {
      return "default";
    }
    String name = identifier;
    if (Arn.looksLikeArn(identifier)) {
      Arn arn = Arn.parse(identifier);
      if (arn == null
          || !"ecs".equals(arn.service())
          || !"cluster".equals(arn.resourceType())
          || !context.region().equals(arn.region())
          || !context.accountId().equals(arn.account())) {
        return null;
      }
      name = arn.resourceId();
    }
    return NAME.matcher(name).matches() ? name : null;
  }

  /** Returns the holder of an existing cluster (ACTIVE or INACTIVE), or null. */
  ClusterState existingCluster(RequestContext context, String identifier) {
    String name = clusterName(context, identifier);
    return name == null ? null : region(context).existingCluster(name);
  }

  /** Returns the holder of an ACTIVE cluster, or throws ClusterNotFoundException. */
  ClusterState activeCluster(RequestContext context, String identifier) {
    ClusterState holder = existingCluster(context, identifier);
    if (holder == null || !holder.cluster().isActive()) {
      throw EcsErrors.clusterNotFound();
    }
    return holder;
  }

  /**
   * Checks that a cluster is still ACTIVE inside a command, else throws ClusterNotFoundException.
   */
  static Cluster requireActive(Cluster cluster) {
    if (cluster == null || !cluster.isActive()) {
      throw EcsErrors.clusterNotFound();
    }
    return cluster;
  }

  /** A parsed reference to a task definition: a family and, if given, a revision. */
  record TaskDefinitionRef(String family, Integer revision) {}

  /**
   * Parses {@code family}, {@code family:revision} or a task definition ARN of this region and
   * account, or throws ClientException.
   */
  static TaskDefinitionRef parseTaskDefinition(RequestContext context, String reference) {
    String text = reference;
    if (Arn.looksLikeArn(reference)) {
      Arn arn = Arn.parse(reference);
      if (arn == null
          || !"ecs".equals(arn.service())
          || !"task-definition".equals(arn.resourceType())
          || !context.region().equals(arn.region())
          || !context.accountId().equals(arn.account())) {
        throw unableToDescribe();
      }
      text = arn.resourceId();
    }
    String family = text;
    Integer revision = null;
    int colon = text.lastIndexOf(':');
    if (colon >= 0) {
      family = text.substring(0, colon);
      try {
        revision = Integer.valueOf(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw EcsErrors.client("Invalid revision number. Number: " + text.substring(colon + 1));
      }
      if (revision < 1) {
        throw EcsErrors.client("Invalid revision number. Number: " + revision);
      }
    }
    if (!NAME.matcher(family).matches()) {
      throw unableToDescribe();
    }
    return new TaskDefinitionRef(family, revision);
  }

  /**
   * Returns the task definition a reference names: a revision in any status, or a family's newest
   * ACTIVE revision; throws ClientException if there is none.
   */
  TaskDefinition taskDefinition(RequestContext context, String reference) {
    TaskDefinitionRef ref = parseTaskDefinition(context, reference);
    TaskDefinition found =
        ref.revision() == null
            ? region(context).taskDefinitions().latestActive(ref.family())
            : region(context).taskDefinitions().revision(ref.family(), ref.revision());
    if (found == null) {
      throw unableToDescribe();
    }
    return found;
  }

  private static RuntimeException unableToDescribe() {
    return EcsErrors.client("Unable to describe task definition.");
  }
}
