package dev.berth.server.ecs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.berth.api.Json;
import dev.berth.server.state.Task;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Task records rendered once in ECS's {@code Task} shape (with tags) and shared: RunTask answers
 * with the tasks it placed, and the agent channel then sends the same tasks to their instances, so
 * each placed task is rendered once instead of twice. A rendering is kept from RunTask until the
 * channel takes it (a task record never changes, so the same record has the same JSON); if the
 * channel never does, say because the agent went away in between, the whole cache is let go once it
 * holds {@value #LIMIT} renderings. Safe for concurrent use.
 */
final class RenderedTasks {
  static final int LIMIT = 100_000;

  private final Map<String, Rendering> byArn = new ConcurrentHashMap<>();

  /**
   * Returns the task rendered, as a raw JSON value for a response, and keeps it for the channel.
   */
  RawValue render(Task task) {
    SerializedString json = serialize(task);
    if (byArn.size() >= LIMIT) {
      byArn.clear();
    }
    byArn.put(task.arn(), new Rendering(task, json));
    return new RawValue(json);
  }

  /** Returns the task rendered as UTF-8 JSON, taking the kept rendering of that record if any. */
  byte[] take(Task task) {
    Rendering kept = byArn.remove(task.arn());
    SerializedString json = kept != null && kept.task == task ? kept.json : serialize(task);
    return json.asUnquotedUTF8();
  }

  private static SerializedString serialize(Task task) {
    try {
      return new Utf8String(Json.MAPPER.writeValueAsString(TaskJson.toJson(task, true)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
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

  private record Rendering(Task task, SerializedString json) {
    Rendering {
      requireNonNull(task);
      requireNonNull(json);
    }
  }
}
