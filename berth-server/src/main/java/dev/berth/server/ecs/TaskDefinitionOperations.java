package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.api.TokenPaging;
import dev.berth.server.ecs.state.EcsRecords;
import dev.berth.server.ecs.state.Tag;
import dev.berth.server.ecs.state.TaskDefinition;
import dev.berth.server.ecs.state.TaskDefinitions;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.StateRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;

/**
 * The ECS task definition operations: RegisterTaskDefinition, DescribeTaskDefinition,
 * ListTaskDefinitions, ListTaskDefinitionFamilies, DeregisterTaskDefinition and
 * DeleteTaskDefinitions.
 */
final class TaskDefinitionOperations {
  private static final int MAX_DELETE = 10;
  private static final String MISSING_REVISION =
      "The specified task definition does not exist. Specify a valid account, family, revision"
          + " and try again.";
  private static final String ACTIVE_REVISION =
      "The specified task definition is still in ACTIVE status. Please deregister the target and"
          + " try again.";
  private static final String MALFORMED_REVISION =
      "The specified task definition identifier is invalid. Specify a valid name or ARN and try"
          + " again.";

  private final EcsResources resources;
  private final Clock clock;

  TaskDefinitionOperations(EcsResources resources, Clock clock) {
    this.resources = requireNonNull(resources);
    this.clock = requireNonNull(clock);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, EcsOperation> operations) {
    operations.put("RegisterTaskDefinition", this::register);
    operations.put("DescribeTaskDefinition", this::describe);
    operations.put("ListTaskDefinitions", this::list);
    operations.put("ListTaskDefinitionFamilies", this::listFamilies);
    operations.put("DeregisterTaskDefinition", this::deregister);
    operations.put("DeleteTaskDefinitions", this::delete);
  }

  /** Registers the next revision of a family. */
  CompletableFuture<JsonNode> register(ObjectNode input, RequestContext context) {
    ObjectNode body = TaskDefinitionRules.normalize(input);
    List<Tag> tags = TagRules.checkTotal(TagRules.checkNew(Tag.fromJson(input.get("tags"))));
    String family = body.path("family").asText();
    TaskDefinitions taskDefinitions = resources.region(context).taskDefinitions();
    String registeredBy = "arn:aws:iam::" + context.accountId() + ":root";
    return taskDefinitions.submit(
        () -> {
          int revision = taskDefinitions.nextRevision(family);
          TaskDefinition registered =
              new TaskDefinition(
                  EcsResources.taskDefinitionArn(context, family, revision),
                  family,
                  revision,
                  TaskDefinition.ACTIVE,
                  body,
                  tags,
                  clock.millis(),
                  registeredBy,
                  null,
                  null);
          ObjectNode response = Json.object();
          response.set("taskDefinition", toJson(registered));
          response.set("tags", Tag.toJson(tags));
          return CommandResult.of(EcsRecords.of(registered), (JsonNode) response);
        });
  }

  /** Describes a revision, or a family's newest ACTIVE revision; tags only if asked. */
  CompletableFuture<JsonNode> describe(ObjectNode input, RequestContext context) {
    TaskDefinition found = resources.taskDefinition(context, Json.text(input, "taskDefinition"));
    ObjectNode response = Json.object();
    response.set("taskDefinition", toJson(found));
    for (JsonNode include : input.path("include")) {
      if ("TAGS".equals(include.asText())) {
        response.set("tags", Tag.toJson(found.tags()));
      }
    }
    return CompletableFuture.completedFuture(response);
  }

  /** Lists revision ARNs by family and revision, filtered by family and status, paged. */
  CompletableFuture<JsonNode> list(ObjectNode input, RequestContext context) {
    String family = Json.text(input, "familyPrefix");
    String status = input.has("status") ? input.get("status").asText() : TaskDefinition.ACTIVE;
    boolean descending = "DESC".equals(Json.text(input, "sort"));
    NavigableMap<String, ? extends NavigableMap<Integer, TaskDefinition>> families =
        resources.region(context).taskDefinitions().families();
    if (family != null) {
      // ListTaskDefinitions filters by the whole family name, not a prefix of it.
      families = families.subMap(family, true, family, true);
    }
    List<TaskDefinition> matching = new ArrayList<>();
    for (NavigableMap<Integer, TaskDefinition> revisions : families.values()) {
      for (TaskDefinition revision : revisions.values()) {
        if (revision.status().equals(status)) {
          matching.add(revision);
        }
      }
    }
    if (descending) {
      java.util.Collections.reverse(matching);
    }
    TokenPaging.Page<TaskDefinition> page =
        Paging.page(
            "ListTaskDefinitions",
            matching,
            TaskDefinitionOperations::orderKey,
            descending,
            maxResults(input),
            Json.text(input, "nextToken"),
            100);
    ObjectNode response = Json.object();
    ArrayNode arns = response.putArray("taskDefinitionArns");
    page.items().forEach(revision -> arns.add(revision.arn()));
    if (page.nextToken() != null) {
      response.put("nextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(response);
  }

  /**
   * Lists family names starting with a prefix: ACTIVE families have an ACTIVE revision, INACTIVE
   * ones have none, and ALL (the default) lists both.
   */
  CompletableFuture<JsonNode> listFamilies(ObjectNode input, RequestContext context) {
    String prefix = Json.text(input, "familyPrefix");
    String status = input.has("status") ? input.get("status").asText() : "ALL";
    List<String> matching = new ArrayList<>();
    for (Map.Entry<String, ? extends NavigableMap<Integer, TaskDefinition>> family :
        resources.region(context).taskDefinitions().families().entrySet()) {
      if (prefix != null && !family.getKey().startsWith(prefix)) {
        continue;
      }
      boolean active =
          family.getValue().values().stream()
              .anyMatch(revision -> TaskDefinition.ACTIVE.equals(revision.status()));
      if ("ALL".equals(status) || active == "ACTIVE".equals(status)) {
        matching.add(family.getKey());
      }
    }
    TokenPaging.Page<String> page =
        Paging.page(
            "ListTaskDefinitionFamilies",
            matching,
            name -> name,
            false,
            maxResults(input),
            Json.text(input, "nextToken"),
            100);
    ObjectNode response = Json.object();
    ArrayNode names = response.putArray("families");
    page.items().forEach(names::add);
    if (page.nextToken() != null) {
      response.put("nextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(response);
  }

  /** Marks a revision INACTIVE; deregistering an INACTIVE revision answers it unchanged. */
  CompletableFuture<JsonNode> deregister(ObjectNode input, RequestContext context) {
    EcsResources.TaskDefinitionRef ref =
        EcsResources.parseTaskDefinition(context, Json.text(input, "taskDefinition"));
    if (ref.revision() == null) {
      throw EcsErrors.client("Revision is missing.");
    }
    TaskDefinitions taskDefinitions = resources.region(context).taskDefinitions();
    return taskDefinitions.submit(
        () -> {
          TaskDefinition current = taskDefinitions.revision(ref.family(), ref.revision());
          if (current == null) {
            throw EcsErrors.client("Unable to describe task definition.");
          }
          ObjectNode response = Json.object();
          if (!TaskDefinition.ACTIVE.equals(current.status())) {
            response.set("taskDefinition", toJson(current));
            return CommandResult.of((JsonNode) response);
          }
          TaskDefinition inactive = current.withStatus(TaskDefinition.INACTIVE, clock.millis());
          response.set("taskDefinition", toJson(inactive));
          return CommandResult.of(EcsRecords.of(inactive), (JsonNode) response);
        });
  }

  /**
   * Requests the deletion of INACTIVE revisions (at most ten a call): they turn DELETE_IN_PROGRESS.
   * Unknown, ACTIVE and malformed references come back as failures with ECS's reasons.
   */
  CompletableFuture<JsonNode> delete(ObjectNode input, RequestContext context) {
    List<String> references = new ArrayList<>();
    input.path("taskDefinitions").forEach(node -> references.add(node.asText()));
    if (references.isEmpty() || references.size() > MAX_DELETE) {
      throw EcsErrors.invalidParameter(
          "taskDefinitions must name between 1 and " + MAX_DELETE + " task definition revisions.");
    }
    TaskDefinitions taskDefinitions = resources.region(context).taskDefinitions();
    return taskDefinitions.submit(
        () -> {
          long now = clock.millis();
          List<StateRecord> records = new ArrayList<>();
          ObjectNode response = Json.object();
          ArrayNode deleted = response.putArray("taskDefinitions");
          ArrayNode failures = response.putArray("failures");
          for (String reference : references) {
            EcsResources.TaskDefinitionRef ref = revisionRef(context, reference);
            TaskDefinition current =
                ref == null ? null : taskDefinitions.revision(ref.family(), ref.revision());
            String reason =
                ref == null
                    ? MALFORMED_REVISION
                    : current == null
                        ? MISSING_REVISION
                        : TaskDefinition.ACTIVE.equals(current.status()) ? ACTIVE_REVISION : null;
            if (reason != null) {
              // ECS names a failed revision as it was asked for, with its reason and no detail.
              failures.addObject().put("arn", reference).put("reason", reason);
              continue;
            }
            TaskDefinition deleting =
                TaskDefinition.DELETE_IN_PROGRESS.equals(current.status())
                    ? current
                    : current.withStatus(TaskDefinition.DELETE_IN_PROGRESS, now);
            if (deleting != current) {
              records.add(EcsRecords.of(deleting));
            }
            deleted.add(toJson(deleting));
          }
          return new CommandResult<>(records, (JsonNode) response);
        });
  }

  /** Returns the revision a reference names, or null if it names none (no revision, bad form). */
  private static EcsResources.TaskDefinitionRef revisionRef(
      RequestContext context, String reference) {
    try {
      EcsResources.TaskDefinitionRef ref = EcsResources.parseTaskDefinition(context, reference);
      return ref.revision() == null ? null : ref;
    } catch (AwsException e) {
      return null;
    }
  }

  private static Integer maxResults(ObjectNode input) {
    return input.has("maxResults") ? input.get("maxResults").intValue() : null;
  }

  /** Returns a key that sorts like the listing: by family name, then by revision number. */
  private static String orderKey(TaskDefinition revision) {
    return revision.family() + "\u0000" + String.format("%010d", revision.revision());
  }

  /** Returns ECS's TaskDefinition shape: the registered body and the members ECS computes. */
  static ObjectNode toJson(TaskDefinition revision) {
    ObjectNode node = Json.object();
    node.put("taskDefinitionArn", revision.arn());
    node.setAll(revision.body());
    node.put("family", revision.family());
    node.put("revision", revision.revision());
    node.put("status", revision.status());
    node.set("requiresAttributes", RequiredAttributes.of(revision.body()));
    ArrayNode compatibilities = node.putArray("compatibilities");
    compatibilities.add("EC2");
    compatibilities.add("EXTERNAL");
    node.set("registeredAt", Json.timestamp(revision.registeredAt()));
    if (revision.deregisteredAt() != null) {
      node.set("deregisteredAt", Json.timestamp(revision.deregisteredAt()));
    }
    if (revision.registeredBy() != null) {
      node.put("registeredBy", revision.registeredBy());
    }
    return node;
  }
}
