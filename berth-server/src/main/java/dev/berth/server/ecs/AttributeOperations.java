package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import dev.berth.server.api.RequestContext;
import dev.berth.server.api.TokenPaging;
import dev.berth.server.ecs.request.DeleteAttributesRequest;
import dev.berth.server.ecs.request.ListAttributesRequest;
import dev.berth.server.ecs.request.PutAttributesRequest;
import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.ClusterState;
import dev.berth.server.ecs.state.ContainerInstance;
import dev.berth.server.statemachine.CommandResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * The ECS attribute operations on container instances: PutAttributes, DeleteAttributes and
 * ListAttributes.
 */
final class AttributeOperations {
  private static final String TARGET_TYPE = "container-instance";

  private final EcsResources resources;

  AttributeOperations(EcsResources resources) {
    this.resources = requireNonNull(resources);
  }

  /** Adds this class's handlers to the operation table. */
  void register(Map<String, EcsOperation> operations) {
    operations.put(
        "PutAttributes", EcsOperation.typed(PutAttributesRequest.class, this::putAttributes));
    operations.put(
        "DeleteAttributes",
        EcsOperation.typed(DeleteAttributesRequest.class, this::deleteAttributes));
    operations.put(
        "ListAttributes", EcsOperation.typed(ListAttributesRequest.class, this::listAttributes));
  }

  /** Adds or replaces attributes on container instances; at most ten custom ones each. */
  CompletableFuture<JsonNode> putAttributes(PutAttributesRequest input, RequestContext context) {
    return change(
        input.cluster(),
        input.attributes(),
        context,
        (current, given) -> {
          Map<String, Attribute> byName = new LinkedHashMap<>();
          current.forEach(attribute -> byName.put(attribute.name(), attribute));
          given.forEach(attribute -> byName.put(attribute.name(), attribute));
          return AttributeRules.checkCustomLimit(List.copyOf(byName.values()));
        });
  }

  /** Removes attributes from container instances by name; absent names are ignored. */
  CompletableFuture<JsonNode> deleteAttributes(
      DeleteAttributesRequest input, RequestContext context) {
    return change(
        input.cluster(),
        input.attributes(),
        context,
        (current, given) ->
            current.stream()
                .filter(
                    attribute ->
                        given.stream().noneMatch(gone -> gone.name().equals(attribute.name())))
                .toList());
  }

  /**
   * Lists the attributes of the cluster's registered instances, by instance ARN and name, filtered
   * by name and value, paged.
   */
  CompletableFuture<JsonNode> listAttributes(ListAttributesRequest input, RequestContext context) {
    ClusterState holder = resources.activeCluster(context, input.cluster());
    String name = input.attributeName();
    String value = input.attributeValue();
    if (value != null && name == null) {
      throw EcsErrors.invalidParameter("attributeValue can only be given with attributeName.");
    }
    record Listed(String instanceArn, Attribute attribute) {}
    List<Listed> matching = new ArrayList<>();
    for (ContainerInstance instance : holder.instances().all()) {
      if (!instance.registered()) {
        continue;
      }
      instance.attributes().stream()
          .filter(attribute -> name == null || attribute.name().equals(name))
          .filter(attribute -> value == null || value.equals(attribute.value()))
          .sorted(Comparator.comparing(Attribute::name))
          .forEach(attribute -> matching.add(new Listed(instance.arn(), attribute)));
    }
    TokenPaging.Page<Listed> page =
        Paging.page(
            "ListAttributes",
            matching,
            listed -> listed.instanceArn() + "\u0000" + listed.attribute().name(),
            false,
            input.maxResults(),
            input.nextToken(),
            100);
    ObjectNode response = Json.object();
    ArrayNode attributes = response.putArray("attributes");
    for (Listed listed : page.items()) {
      ObjectNode node = attributes.addObject();
      node.put("name", listed.attribute().name());
      if (listed.attribute().value() != null) {
        node.put("value", listed.attribute().value());
      }
      node.put("targetType", TARGET_TYPE);
      node.put("targetId", listed.instanceArn());
    }
    if (page.nextToken() != null) {
      response.put("nextToken", page.nextToken());
    }
    return CompletableFuture.completedFuture(response);
  }

  private CompletableFuture<JsonNode> change(
      String cluster,
      List<dev.berth.server.ecs.shape.Attribute> given,
      RequestContext context,
      BiFunction<List<Attribute>, List<Attribute>, List<Attribute>> change) {
    ClusterState holder = resources.activeCluster(context, cluster);
    if (given == null || given.isEmpty() || given.size() > AttributeRules.MAX_PER_CALL) {
      throw EcsErrors.invalidParameter(
          "attributes must hold between 1 and " + AttributeRules.MAX_PER_CALL + " attributes.");
    }
    Map<String, List<Attribute>> byTarget = new LinkedHashMap<>();
    for (dev.berth.server.ecs.shape.Attribute attribute : given) {
      String targetId = attribute.targetId();
      if (targetId == null) {
        throw EcsErrors.invalidParameter("Attribute " + attribute.name() + " needs a targetId.");
      }
      String arn = EcsResources.containerInstanceArn(context, holder.name(), targetId);
      if (arn == null) {
        throw targetNotFound(targetId);
      }
      byTarget
          .computeIfAbsent(arn, key -> new ArrayList<>())
          .addAll(AttributeRules.check(AttributeRules.given(List.of(attribute))));
    }
    ObjectNode response = Json.object();
    // The answer echoes the attributes as the caller gave them.
    response.set("attributes", Json.MAPPER.valueToTree(given));
    return holder.submit(
        current -> {
          EcsResources.requireActive(current);
          ClusterChanges changes = new ClusterChanges(holder);
          for (Map.Entry<String, List<Attribute>> target : byTarget.entrySet()) {
            ContainerInstance instance = holder.instances().get(target.getKey());
            if (instance == null || !instance.registered()) {
              throw targetNotFound(target.getKey());
            }
            List<Attribute> changed = change.apply(instance.attributes(), target.getValue());
            if (!changed.equals(instance.attributes())) {
              changes.put(instance.withAttributes(changed));
            }
          }
          return new CommandResult<>(changes.records(), (JsonNode) response);
        });
  }

  private static RuntimeException targetNotFound(String target) {
    return EcsErrors.targetNotFound("Could not find the attribute target " + target + ".");
  }
}
