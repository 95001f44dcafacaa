package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.berth.api.Json;
import dev.berth.server.ecs.state.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Task records rendered once in ECS's {@code Task} shape (with tags) and shared: RunTask answers
 * with the tasks it placed, and the agent channel then sends the same tasks to their instances, so
 * each placed task is rendered once instead of twice, by whichever needs it first: the writing of
 * RunTask's answer or the channel. Neither is the cluster's writer, which only makes the tasks. A
 * rendering is kept from RunTask until the channel takes it (a task record never changes, so the
 * same record has the same JSON); if the channel never does, say because the agent went away in
 * between, the whole cache is let go once it holds {@value #LIMIT} renderings. Safe for concurrent
 * use.
 */
final class RenderedTasks {
  static final int LIMIT = 100_000;

  private final Map<String, Rendering> byArn = new ConcurrentHashMap<>();

  /**
   * Returns the task as a node of a response, rendered when first written or taken, and keeps it
   * for the channel.
   */
  JsonNode render(Task task) {
    Rendering rendering = new Rendering(task);
    if (byArn.size() >= LIMIT) {
      byArn.clear();
    }
    byArn.put(task.arn(), rendering);
    return new POJONode(rendering);
  }

  /** Returns the task rendered as UTF-8 JSON, taking the kept rendering of that record if any. */
  byte[] take(Task task) {
    Rendering kept = byArn.remove(task.arn());
    Rendering rendering = kept != null && kept.task == task ? kept : new Rendering(task);
    return rendering.json().asUnquotedUTF8();
  }

  /** One task's rendering, made on first use; two threads racing make the same JSON. */
  private static final class Rendering implements JsonSerializable {
    private final Task task;
    private volatile SerializedString json;

    Rendering(Task task) {
      this.task = requireNonNull(task);
    }

    SerializedString json() {
      SerializedString made = json;
      if (made == null) {
        try {
          made = new Utf8String(Json.MAPPER.writeValueAsString(new TaskJson.Shape(task, true)));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("a task always serializes", e);
        }
        json = made;
      }
      return made;
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeRawValue(json());
    }

    @Override
    public void serializeWithType(
        JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
        throws IOException {
      serialize(gen, serializers);
    }
  }

  /**
   * A serialized string whose UTF-8 form is made at once by the JDK's bulk encoder, rather than
   * character by character by Jackson's when a generator or the channel first asks for it.
   */
  private static final class Utf8String extends SerializedString {
    Utf8String(String json) {
      super(json);
      _unquotedUTF8Ref = json.getBytes(StandardCharsets.UTF_8);
    }
  }
}
