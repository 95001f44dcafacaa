package dev.berth.server.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.berth.api.agent.AgentChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes the task set messages of one channel session, each task definition at most once: a task
 * definition goes with the first task of it the session sends and is left out after that, since the
 * agent keeps the definitions it got for as long as the connection lasts (see {@link
 * AgentChannel}). Not thread-safe: one session writes from its channel's event loop.
 */
final class TaskSetMessages {
  private static final byte[] HEAD =
      ("{\"type\":\"" + AgentChannel.TASKS + "\",\"tasks\":[").getBytes(UTF_8);
  private static final byte[] TAIL = "]}".getBytes(UTF_8);
  private static final byte[] TASK = "{\"task\":".getBytes(UTF_8);
  private static final byte[] DEFINITION = ",\"taskDefinition\":".getBytes(UTF_8);

  private final Set<String> definitionsSent = new HashSet<>();

  /**
   * Returns the next task set message of the session, as UTF-8 JSON in a buffer of the allocator;
   * {@code definitions} serializes a task definition by ARN, or answers null if there is none.
   */
  ByteBuf next(
      List<TaskSetEntry> set, Function<String, byte[]> definitions, ByteBufAllocator allocator) {
    requireNonNull(definitions);
    byte[][] withDefinition = new byte[set.size()][];
    int size = HEAD.length + TAIL.length;
    for (int i = 0; i < set.size(); i++) {
      TaskSetEntry entry = set.get(i);
      size += TASK.length + entry.task().length + 1 + (i == 0 ? 0 : 1);
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
    ByteBuf message = allocator.buffer(size, size);
    message.writeBytes(HEAD);
    for (int i = 0; i < set.size(); i++) {
      if (i > 0) {
        message.writeByte(',');
      }
      message.writeBytes(TASK).writeBytes(set.get(i).task());
      if (withDefinition[i] != null) {
        message.writeBytes(DEFINITION).writeBytes(withDefinition[i]);
      }
      message.writeByte('}');
    }
    return message.writeBytes(TAIL);
  }
}
