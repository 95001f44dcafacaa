package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.berth.api.Json;
import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.Tag;
import dev.berth.server.ecs.state.Task;
import dev.berth.server.ecs.state.TaskContainer;
import dev.berth.server.ecs.state.TaskLifecycle;
import dev.berth.server.ecs.state.TaskSpec;
import java.io.IOException;

/**
 * Renders tasks in ECS's {@code Task} shape, as the task APIs answer and the agent channel sends
 * them. A task is written straight to the JSON generator of the response, when the response is
 * written, rather than built as a tree first: tasks are the bulk of RunTask's answers and of the
 * channel's messages.
 */
final class TaskJson {
  private TaskJson() {}

  /**
   * Returns ECS's Task shape of a task, its tags only if asked, as a node of a response; it is
   * rendered when the response is written (a task record never changes).
   */
  static JsonNode toJson(Task task, boolean includeTags) {
    return new POJONode(new Shape(task, includeTags));
  }

  /** A task in ECS's Task shape, rendered when serialized. */
  record Shape(Task task, boolean includeTags) implements JsonSerializable {
    /** Creates the shape of a task. */
    Shape {
      requireNonNull(task);
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
      write(task, includeTags, gen, serializers);
    }

    @Override
    public void serializeWithType(
        JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
        throws IOException {
      serialize(gen, serializers);
    }
  }

  private static void write(
      Task task, boolean includeTags, JsonGenerator gen, SerializerProvider serializers)
      throws IOException {
    TaskSpec spec = task.spec();
    TaskLifecycle lifecycle = task.lifecycle();
    gen.writeStartObject();
    gen.writeArrayFieldStart("attachments");
    gen.writeEndArray();
    gen.writeArrayFieldStart("attributes");
    for (Attribute attribute : spec.attributes()) {
      gen.writeStartObject();
      gen.writeStringField("name", attribute.name());
      writeIfPresent(gen, "value", attribute.value());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    writeIfPresent(gen, "availabilityZone", spec.availabilityZone());
    gen.writeStringField("clusterArn", spec.clusterArn());
    writeIfPresent(gen, "connectivity", lifecycle.connectivity());
    writeTime(gen, "connectivityAt", lifecycle.connectivityAt());
    gen.writeStringField("containerInstanceArn", spec.containerInstanceArn());
    gen.writeArrayFieldStart("containers");
    for (TaskContainer container : task.containers()) {
      write(container, spec.arn(), gen, serializers);
    }
    gen.writeEndArray();
    writeIfPresent(gen, "cpu", spec.cpu());
    writeTime(gen, "createdAt", spec.createdAt());
    gen.writeStringField("desiredStatus", lifecycle.desiredStatus());
    gen.writeBooleanField("enableExecuteCommand", spec.enableExecuteCommand());
    writeTime(gen, "executionStoppedAt", lifecycle.executionStoppedAt());
    gen.writeStringField("group", spec.group());
    gen.writeStringField("healthStatus", lifecycle.healthStatus());
    gen.writeStringField("lastStatus", lifecycle.lastStatus());
    gen.writeStringField("launchType", spec.launchType());
    writeIfPresent(gen, "memory", spec.memory());
    gen.writeFieldName("overrides");
    spec.overrides().serialize(gen, serializers);
    writeTime(gen, "pullStartedAt", lifecycle.pullStartedAt());
    writeTime(gen, "pullStoppedAt", lifecycle.pullStoppedAt());
    writeTime(gen, "startedAt", lifecycle.startedAt());
    writeIfPresent(gen, "startedBy", spec.startedBy());
    writeIfPresent(gen, "stopCode", lifecycle.stopCode());
    writeTime(gen, "stoppedAt", lifecycle.stoppedAt());
    writeIfPresent(gen, "stoppedReason", lifecycle.stoppedReason());
    writeTime(gen, "stoppingAt", lifecycle.stoppingAt());
    if (includeTags) {
      gen.writeArrayFieldStart("tags");
      for (Tag tag : task.tags()) {
        gen.writeStartObject();
        gen.writeStringField("key", tag.key());
        gen.writeStringField("value", tag.value());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    gen.writeStringField("taskArn", spec.arn());
    gen.writeStringField("taskDefinitionArn", spec.taskDefinitionArn());
    gen.writeNumberField("version", task.version());
    gen.writeEndObject();
  }

  /** Writes ECS's Container shape of one container of a task. */
  private static void write(
      TaskContainer container, String taskArn, JsonGenerator gen, SerializerProvider serializers)
      throws IOException {
    gen.writeStartObject();
    gen.writeStringField("containerArn", container.arn());
    gen.writeStringField("taskArn", taskArn);
    gen.writeStringField("name", container.name());
    gen.writeStringField("image", container.image());
    writeIfPresent(gen, "imageDigest", container.imageDigest());
    writeIfPresent(gen, "runtimeId", container.runtimeId());
    gen.writeStringField("lastStatus", container.lastStatus());
    if (container.exitCode() != null) {
      gen.writeNumberField("exitCode", container.exitCode());
    }
    writeIfPresent(gen, "reason", container.reason());
    gen.writeFieldName("networkBindings");
    container.networkBindings().serialize(gen, serializers);
    gen.writeArrayFieldStart("networkInterfaces");
    gen.writeEndArray();
    gen.writeStringField("healthStatus", container.healthStatus());
    gen.writeStringField("cpu", Integer.toString(container.cpu() == null ? 0 : container.cpu()));
    if (container.memory() != null) {
      gen.writeStringField("memory", container.memory().toString());
    }
    if (container.memoryReservation() != null) {
      gen.writeStringField("memoryReservation", container.memoryReservation().toString());
    }
    gen.writeEndObject();
  }

  private static void writeIfPresent(JsonGenerator gen, String member, String value)
      throws IOException {
    if (value != null) {
      gen.writeStringField(member, value);
    }
  }

  private static void writeTime(JsonGenerator gen, String member, Long epochMillis)
      throws IOException {
    if (epochMillis != null) {
      gen.writeFieldName(member);
      gen.writeNumber(Json.timestampValue(epochMillis));
    }
  }
}
