package dev.berth.server.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.berth.api.agent.AgentChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes the task set messages of one channel session (see {@link AgentChannel}): the complete set
 * first, then only what changed since the message before, each task definition at most once. It
 * remembers, by task ARN, the desired status and the DEACTIVATING flag it last sent of each task,
 * which is what the agent's copy of the set holds of them. Not thread-safe: one session writes from
 * its channel's event loop.
 */
final class TaskSetMessages {
  private static final byte[] TASKS_HEAD =
      ("{\"type\":\"" + AgentChannel.TASKS + "\",\"tasks\":[").getBytes(UTF_8);
  private static final byte[] CHANGES_HEAD =
      ("{\"type\":\"" + AgentChannel.TASK_CHANGES + "\",\"tasks\":[").getBytes(UTF_8);
  private static final byte[] REMOVED = "],\"removed\":[".getBytes(UTF_8);
  private static final byte[] TAIL = "]}".getBytes(UTF_8);
  private static final byte[] TASK = "{\"task\":".getBytes(UTF_8);
  private static final byte[] DEFINITION = ",\"taskDefinition\":".getBytes(UTF_8);

  private final Set<String> definitionsSent = new HashSet<>();
  // Task ARN -> what the agent's copy of the set holds of the task; null before the first message.
  private Map<String, Sent> sent;

  /**
   * Returns the next message of the session for the task set as it is now, as UTF-8 JSON in a
   * buffer of the allocator: the complete set if it is the first, else the changes since the one
   * before, or null if there are none. {@code definitions} serializes a task definition by ARN, or
   * answers null if there is none.
   */
  ByteBuf next(
      List<TaskSetEntry> set, Function<String, byte[]> definitions, ByteBufAllocator allocator) {
    requireNonNull(definitions);
    boolean complete = sent == null;
    Map<String, Sent> before = complete ? Map.of() : sent;
    Map<String, Sent> now = HashMap.newHashMap(set.size());
    List<TaskSetEntry> changed = new ArrayList<>();
    int kept = 0;
    for (TaskSetEntry entry : set) {
      Sent was = before.get(entry.taskArn());
      if (was != null) {
        kept++;
      }
      Sent is =
          was != null && was.matches(entry)
              ? was
              : new Sent(entry.desiredStatus(), entry.deactivating());
      now.put(entry.taskArn(), is);
      if (is != was) {
        changed.add(entry);
      }
    }
    List<String> removed = new ArrayList<>();
    if (kept < before.size()) {
      for (String taskArn : before.keySet()) {
        if (!now.containsKey(taskArn)) {
          removed.add(taskArn);
        }
      }
    }
    sent = now;
    if (!complete && changed.isEmpty() && removed.isEmpty()) {
      return null;
    }
    return write(complete, changed, removed, definitions, allocator);
  }

  private ByteBuf write(
      boolean complete,
      List<TaskSetEntry> entries,
      List<String> removed,
      Function<String, byte[]> definitions,
      ByteBufAllocator allocator) {
    byte[][] tasks = new byte[entries.size()][];
    byte[][] withDefinition = new byte[entries.size()][];
    byte[][] removedArns = new byte[removed.size()][];
    int size = (complete ? TASKS_HEAD.length : CHANGES_HEAD.length + REMOVED.length) + TAIL.length;
    for (int i = 0; i < entries.size(); i++) {
      TaskSetEntry entry = entries.get(i);
      tasks[i] = entry.task().get();
      size += TASK.length + tasks[i].length + 1 + (i == 0 ? 0 : 1);
      if (!definitionsSent.contains(entry.taskDefinitionArn())) {
        byte[] definition = definitions.apply(entry.taskDefinitionArn());
        // A revision the server does not have is not remembered as sent: the agent refuses the
        // task for want of it, as it would any task it cannot run.
        if (definition != null) {
          definitionsSent.add(entry.taskDefinitionArn());
          withDefinition[i] = definition;
          size += DEFINITION.length + definition.length;
        }
      }
    }
    for (int i = 0; i < removed.size(); i++) {
      removedArns[i] = JsonStringEncoder.getInstance().quoteAsUTF8(removed.get(i));
      size += removedArns[i].length + 2 + (i == 0 ? 0 : 1);
    }
    ByteBuf message = allocator.buffer(size, size);
    message.writeBytes(complete ? TASKS_HEAD : CHANGES_HEAD);
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        message.writeByte(',');
      }
      message.writeBytes(TASK).writeBytes(tasks[i]);
      if (withDefinition[i] != null) {
        message.writeBytes(DEFINITION).writeBytes(withDefinition[i]);
      }
      message.writeByte('}');
    }
    if (!complete) {
      message.writeBytes(REMOVED);
      for (int i = 0; i < removedArns.length; i++) {
        if (i > 0) {
          message.writeByte(',');
        }
        message.writeByte('"').writeBytes(removedArns[i]).writeByte('"');
      }
    }
    return message.writeBytes(TAIL);
  }

  /** What a message last sent of a task: the members whose change the agent must hear of. */
  private record Sent(String desiredStatus, boolean deactivating) {
    boolean matches(TaskSetEntry entry) {
      return deactivating == entry.deactivating() && desiredStatus.equals(entry.desiredStatus());
    }
  }
}
