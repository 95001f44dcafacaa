package dev.berth.server.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.POJONode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.berth.api.Json;
import dev.berth.server.ecs.state.Task;
import java.io.IOException;

/**
 * Each task record's JSON in ECS's {@code Task} shape (with tags), made once per record by
 * whichever needs it first (the writing of RunTask's answer, on the connection's event loop, or the
 * agent channel's push of the task) and kept exactly as long as the record itself is: a record
 * never changes, so one record has one JSON, and the records are held weakly, by identity, so a
 * rendering goes when its record is replaced in the state and no answer holds it any more. Neither
 * is done on the cluster's writer, which only makes the records. Safe for concurrent use.
 */
final class TaskRenderings {
  // Weak keys compare by identity: a later record of the same task is another key.
  private final Cache<Task, SerializableString> byRecord =
      Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();

  /** Returns the task as a node of a response, rendered when it is first written or pushed. */
  JsonNode node(Task task) {
    return new POJONode(new Rendering(task));
  }

  /** Returns the task rendered as UTF-8 JSON, the same bytes for the same record. */
  byte[] utf8(Task task) {
    return json(task).asUnquotedUTF8();
  }

  /** Returns how many renderings are kept, once those of records let go are dropped. */
  long kept() {
    byRecord.cleanUp();
    return byRecord.estimatedSize();
  }

  private SerializableString json(Task task) {
    return byRecord.get(task, TaskRenderings::render);
  }

  private static SerializableString render(Task task) {
    try {
      return new SerializedString(Json.MAPPER.writeValueAsString(new TaskJson.Shape(task, true)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a task always serializes", e);
    }
  }

  /** A task in a response, written as its kept rendering. */
  private final class Rendering implements JsonSerializable {
    private final Task task;

    Rendering(Task task) {
      this.task = task;
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeRawValue(json(task));
    }

    @Override
    public void serializeWithType(
        JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
        throws IOException {
      serialize(gen, serializers);
    }
  }
}
