package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Arn;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.ecs.request.ListTagsForResourceRequest;
import dev.berth.server.ecs.request.TagResourceRequest;
import dev.berth.server.ecs.request.UntagResourceRequest;
import dev.berth.server.ecs.state.Cluster;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.ecs.state.EcsRecords;
import dev.berth.server.ecs.state.Service;
import dev.berth.server.ecs.state.Tag;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskDefinition;
import dev.berth.server.ecs.state.TaskDefinitions;
import dev.berth.server.ecs.state.TaskUpdate;
import dev.berth.server.statemachine.CommandResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The ECS tagging operations, TagResource, UntagResource and ListTagsForResource, for the resources
 * Berth has: clusters, task definition revisions, container instances and tasks.
 */
final class TagOperations {
  private final EcsResources resources;

  TagOperations(EcsResources resources) {
    this.resources = requireNonNull(resources);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, EcsOperation> operations) {
    operations.put("TagResource", EcsOperation.typed(TagResourceRequest.class, this::tagResource));
    operations.put(
        "UntagResource", EcsOperation.typed(UntagResourceRequest.class, this::untagResource));
    operations.put(
        "ListTagsForResource",
        EcsOperation.typed(ListTagsForResourceRequest.class, this::listTagsForResource));
  }

  /** Adds or replaces tags on a resource. */
  CompletableFuture<JsonNode> tagResource(TagResourceRequest input, RequestContext context) {
    List<Tag> added = TagRules.checkNew(input.tags() == null ? List.of() : input.tags());
    return retag(context, input.resourceArn(), tags -> TagRules.checkTotal(Tag.merge(tags, added)));
  }

  /** Removes tags from a resource by key; absent keys are ignored. */
  CompletableFuture<JsonNode> untagResource(UntagResourceRequest input, RequestContext context) {
    List<String> keys = input.tagKeys() == null ? List.of() : input.tagKeys();
    return retag(context, input.resourceArn(), tags -> Tag.remove(tags, keys));
  }

  /** Returns a resource's tags. */
  CompletableFuture<JsonNode> listTagsForResource(
      ListTagsForResourceRequest input, RequestContext context) {
    String resourceArn = input.resourceArn();
    Arn arn = parse(context, resourceArn);
    List<Tag> tags =
        switch (arn.resourceType()) {
          case "cluster" -> cluster(context, resourceArn).cluster().tags();
          case "task-definition" ->
              resources.taskDefinition(context, checkRevision(resourceArn)).tags();
          case "container-instance" -> {
            ContainerInstance instance = member(context, arn).instances().get(arn.toString());
            if (instance == null) {
              throw notFound();
            }
            yield instance.tags();
          }
          case "task" -> {
            Task task = member(context, arn).tasks().get(arn.toString());
            if (task == null) {
              throw notFound();
            }
            yield task.tags();
          }
          case "service" -> service(member(context, arn), arn).tags();
          default -> throw unsupported(arn);
        };
    ObjectNode response = Json.object();
    response.set("tags", Tag.toJson(tags));
    return CompletableFuture.completedFuture(response);
  }

  private CompletableFuture<JsonNode> retag(
      RequestContext context, String resourceArn, UnaryOperator<List<Tag>> change) {
    Arn arn = parse(context, resourceArn);
    JsonNode empty = Json.object();
    switch (arn.resourceType()) {
      case "cluster" -> {
        return cluster(context, resourceArn)
            .submit(
                current -> {
                  Cluster cluster = EcsResources.requireActive(current);
                  return CommandResult.of(
                      EcsRecords.of(cluster.withTags(change.apply(cluster.tags()))), empty);
                });
      }
      case "task-definition" -> {
        EcsResources.TaskDefinitionRef ref =
            EcsResources.parseTaskDefinition(context, checkRevision(resourceArn));
        TaskDefinitions taskDefinitions = resources.region(context).taskDefinitions();
        return taskDefinitions.submit(
            () -> {
              TaskDefinition current = taskDefinitions.revision(ref.family(), ref.revision());
              if (current == null) {
                throw notFound();
              }
              return CommandResult.of(
                  EcsRecords.of(current.withTags(change.apply(current.tags()))), empty);
            });
      }
      case "container-instance" -> {
        ClusterState holder = member(context, arn);
        return holder.submit(
            current -> {
              ContainerInstance instance = holder.instances().get(arn.toString());
              if (instance == null) {
                throw notFound();
              }
              return CommandResult.of(
                  EcsRecords.of(instance.withTags(change.apply(instance.tags()))), empty);
            });
      }
      case "task" -> {
        ClusterState holder = member(context, arn);
        return holder.submit(
            current -> {
              Task task = holder.tasks().get(arn.toString());
              if (task == null) {
                throw notFound();
              }
              return CommandResult.of(
                  new TaskUpdate(task.withTags(change.apply(task.tags()))), empty);
            });
      }
      case "service" -> {
        ClusterState holder = member(context, arn);
        return holder.submit(
            current -> {
              Service service = service(holder, arn);
              return CommandResult.of(
                  EcsRecords.of(
                      service.withTags(TagRules.checkTotal(change.apply(service.tags())))),
                  empty);
            });
      }
      default -> throw unsupported(arn);
    }
  }

  /**
   * Returns the cluster a container instance or task ARN names ({@code TYPE/CLUSTER/ID}), or throws
   * ResourceNotFoundException.
   */
  private ClusterState member(RequestContext context, Arn arn) {
    String cluster = ContainerInstance.clusterNameOf(arn.toString());
    if (cluster == null) {
      throw EcsErrors.invalidParameter(
          "Berth takes the long ARN format only, with the cluster name: " + arn);
    }
    ClusterState holder = resources.existingCluster(context, cluster);
    if (holder == null) {
      throw notFound();
    }
    return holder;
  }

  /** Returns the service a service ARN names in its cluster, or throws. */
  private static Service service(ClusterState holder, Arn arn) {
    String id = arn.resourceId();
    Service service = holder.services().get(id.substring(id.lastIndexOf('/') + 1));
    if (service == null || !service.arn().equals(arn.toString())) {
      throw notFound();
    }
    return service;
  }

  private ClusterState cluster(RequestContext context, String resourceArn) {
    return resources.activeCluster(context, resourceArn);
  }

  private static Arn parse(RequestContext context, String resourceArn) {
    Arn arn = Arn.parse(resourceArn);
    if (arn == null || !"ecs".equals(arn.service())) {
      throw EcsErrors.invalidParameter("Invalid resource ARN: " + resourceArn);
    }
    if (!context.region().equals(arn.region()) || !context.accountId().equals(arn.account())) {
      throw notFound();
    }
    return arn;
  }

  private static String checkRevision(String resourceArn) {
    if (!Arn.parse(resourceArn).resourceId().contains(":")) {
      throw EcsErrors.invalidParameter(
          "A task definition ARN must name a revision (family:revision): " + resourceArn);
    }
    return resourceArn;
  }

  private static AwsException notFound() {
    return EcsErrors.resourceNotFound("The specified resource could not be found.");
  }

  private static AwsException unsupported(Arn arn) {
    return new AwsException(
        "UnsupportedFeatureException",
        400,
        "Berth does not support tags on ECS " + arn.resourceType() + " resources yet.");
  }
}
