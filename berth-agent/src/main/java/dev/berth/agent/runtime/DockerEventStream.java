package dev.berth.agent.runtime;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription to Docker's container events: turns each into a {@link RuntimeEvent} for the
 * listener, and tells it when the stream broke without being closed.
 */
final class DockerEventStream extends ResultCallback.Adapter<Event> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockerEventStream.class);

  private final Consumer<RuntimeEvent> listener;
  private final Consumer<DockerEventStream> onClosed;
  private volatile boolean closing;

  DockerEventStream(Consumer<RuntimeEvent> listener, Consumer<DockerEventStream> onClosed) {
    this.listener = listener;
    this.onClosed = onClosed;
  }

  @Override
  public void onNext(Event event) {
    RuntimeEvent translated = translate(event);
    if (translated != null && !closing) {
      deliver(translated);
    }
  }

  @Override
  public void onError(Throwable error) {
    if (!closing) {
      LOG.warn("Docker event stream failed", error);
      deliver(disconnected());
    }
    closeQuietly();
  }

  @Override
  public void onComplete() {
    if (!closing) {
      deliver(disconnected());
    }
    closeQuietly();
  }

  /** Stops the stream; the listener hears nothing more. */
  @Override
  public void close() {
    closing = true;
    closeQuietly();
  }

  private void closeQuietly() {
    closing = true;
    try {
      super.close();
    } catch (IOException e) {
      LOG.debug("closing the Docker event stream", e);
    } finally {
      onClosed.accept(this);
    }
  }

  private void deliver(RuntimeEvent event) {
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      // One failing listener call must not end the stream for every later event.
      LOG.warn("runtime event listener failed on {}", event, e);
    }
  }

  private static RuntimeEvent disconnected() {
    return new RuntimeEvent(
        RuntimeEvent.Type.DISCONNECTED, null, Map.of(), null, null, Instant.now());
  }

  /** Returns the runtime event for a Docker event, or null for one the agent does not follow. */
  static RuntimeEvent translate(Event event) {
    if (event.getType() != null && event.getType() != EventType.CONTAINER) {
      return null;
    }
    String action = event.getAction() != null ? event.getAction() : event.getStatus();
    if (action == null) {
      return null;
    }
    RuntimeEvent.Type type;
    HealthStatus health = null;
    if (action.startsWith("health_status")) {
      type = RuntimeEvent.Type.HEALTH_STATUS;
      int colon = action.indexOf(':');
      health = HealthStatus.fromDocker(colon < 0 ? null : action.substring(colon + 1));
    } else {
      type =
          switch (action) {
            case "start" -> RuntimeEvent.Type.START;
            case "die" -> RuntimeEvent.Type.DIE;
            case "oom" -> RuntimeEvent.Type.OOM;
            case "destroy" -> RuntimeEvent.Type.DESTROY;
            default -> null;
          };
      if (type == null) {
        return null;
      }
    }
    Map<String, String> attributes =
        event.getActor() == null || event.getActor().getAttributes() == null
            ? Map.of()
            : event.getActor().getAttributes();
    String id = event.getActor() != null ? event.getActor().getId() : event.getId();
    Integer exitCode = null;
    if (type == RuntimeEvent.Type.DIE && attributes.get("exitCode") != null) {
      exitCode = Integer.valueOf(attributes.get("exitCode"));
    }
    Instant time =
        event.getTimeNano() != null
            ? Instant.ofEpochSecond(0, event.getTimeNano())
            : event.getTime() != null ? Instant.ofEpochSecond(event.getTime()) : Instant.now();
    return new RuntimeEvent(type, id, attributes, exitCode, health, time);
  }
}
