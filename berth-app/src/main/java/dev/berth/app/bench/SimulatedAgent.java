package dev.berth.app.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.channel.ChannelClient;
import dev.berth.api.Json;
import dev.berth.api.agent.AgentChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * One container instance's agent as the placement benchmark simulates it: it keeps the real agent
 * channel open (a SigV4-presigned WebSocket, as {@code ChannelClient} opens it) and reports every
 * task the server asks it to run, once, as RUNNING on that channel, and every task it asks it to
 * stop, once, as STOPPED; the changes of one task set message ({@value AgentChannel#TASKS} or
 * {@value AgentChannel#TASK_CHANGES}: it needs only their entries, not the whole set) go in one
 * {@value AgentChannel#STATE_CHANGES} message. Thousands share one {@link HttpClient}, and hence
 * one selector thread, where {@code ChannelClient} owns one each.
 */
final class SimulatedAgent implements AutoCloseable {
  private final HttpClient http;
  private final URI endpoint;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final String cluster;
  private final String instanceArn;
  private final String containerName;
  private final LongAdder acknowledged;
  private final LongAdder refused;
  private final CountDownLatch firstTaskSet;
  private final Set<String> seen = new HashSet<>();
  private final Set<String> stopped = new HashSet<>();
  private volatile WebSocket socket;
  // The JDK's WebSocket takes one send at a time: each send waits for the one before.
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
  private long nextBatch;
  private boolean opened;

  /**
   * Creates the agent of the instance, whose tasks have one container of that name; each task the
   * server sends with desiredStatus RUNNING is reported RUNNING once, and each with desiredStatus
   * STOPPED is reported STOPPED once; each change is counted in {@code acknowledged} or {@code
   * refused} by the server's answer. {@code firstTaskSet} is counted down when the first task set
   * arrives, which shows the server has opened the session.
   */
  SimulatedAgent(
      HttpClient http,
      URI endpoint,
      String region,
      AwsCredentialsProvider credentials,
      String cluster,
      String instanceArn,
      String containerName,
      LongAdder acknowledged,
      LongAdder refused,
      CountDownLatch firstTaskSet) {
    this.http = requireNonNull(http);
    this.endpoint = requireNonNull(endpoint);
    this.region = requireNonNull(region);
    this.credentials = requireNonNull(credentials);
    this.cluster = requireNonNull(cluster);
    this.instanceArn = requireNonNull(instanceArn);
    this.containerName = requireNonNull(containerName);
    this.acknowledged = requireNonNull(acknowledged);
    this.refused = requireNonNull(refused);
    this.firstTaskSet = requireNonNull(firstTaskSet);
  }

  /** Opens the channel; the returned stage completes when the WebSocket is open. */
  CompletableFuture<WebSocket> connect() {
    return http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(30))
        .buildAsync(
            ChannelClient.presignedUri(endpoint, region, credentials, cluster, instanceArn),
            new Listener())
        .thenApply(
            webSocket -> {
              socket = webSocket;
              return webSocket;
            });
  }

  /** Sends a heartbeat. */
  void heartbeat() {
    send("{\"type\":\"" + AgentChannel.HEARTBEAT + "\"}");
  }

  private synchronized void send(String text) {
    WebSocket current = socket;
    if (current != null && !current.isOutputClosed()) {
      sending =
          sending.handle((sent, failure) -> null).thenCompose(x -> current.sendText(text, true));
    }
  }

  @Override
  public void close() {
    WebSocket current = socket;
    if (current != null) {
      current.abort();
    }
  }

  /** Assembles text frames and picks out the tasks not seen before. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        handle(text);
      }
      webSocket.request(1);
      return null;
    }

    /**
     * Reads a message as a stream, keeping only each task's ARN and statuses, the ARNs of removed
     * tasks and each result's kind: task set messages dominate the traffic, and a tree per message
     * would cost the benchmark's process more than the server spends writing them.
     */
    private void handle(String text) {
      String type = null;
      List<String> toRun = new ArrayList<>();
      List<String> toStop = new ArrayList<>();
      List<String> removed = new ArrayList<>();
      int acks = 0;
      int refusals = 0;
      try (JsonParser parser = Json.MAPPER.getFactory().createParser(text)) {
        parser.nextToken();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          parser.nextToken();
          switch (field) {
            case "type" -> type = parser.getText();
            case "tasks" -> {
              while (parser.nextToken() == JsonToken.START_OBJECT) {
                readEntry(parser, toRun, toStop);
              }
            }
            case "removed" -> {
              while (parser.nextToken() == JsonToken.VALUE_STRING) {
                removed.add(parser.getText());
              }
            }
            case "results" -> {
              while (parser.nextToken() == JsonToken.START_OBJECT) {
                boolean acknowledgment = false;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                  acknowledgment |= "acknowledgment".equals(parser.currentName());
                  parser.nextToken();
                  parser.skipChildren();
                }
                if (acknowledgment) {
                  acks++;
                } else {
                  refusals++;
                }
              }
            }
            default -> parser.skipChildren();
          }
        }
      } catch (IOException e) {
        System.err.println("simulated agent cannot read a channel message: " + e);
        return;
      } finally {
        // The listener runs one message at a time per socket, so the flags need no lock.
        if (!opened) {
          opened = true;
          firstTaskSet.countDown();
        }
      }
      if (AgentChannel.TASKS.equals(type) || AgentChannel.TASK_CHANGES.equals(type)) {
        report(toRun, toStop);
        // A task leaves the set once STOPPED and never comes back: forgetting it keeps the sets
        // as small as the instance's task set.
        for (String arn : removed) {
          seen.remove(arn);
          stopped.remove(arn);
        }
      } else if (AgentChannel.STATE_CHANGE_RESULTS.equals(type)) {
        acknowledged.add(acks);
        refused.add(refusals);
      }
    }

    /**
     * Reads one {@code {"task":..., "taskDefinition":...}} entry of a task set, adding the task's
     * ARN to {@code toRun} if its desiredStatus is RUNNING and its lastStatus not yet, or to {@code
     * toStop} if its desiredStatus is STOPPED and its lastStatus not yet.
     */
    private static void readEntry(JsonParser parser, List<String> toRun, List<String> toStop)
        throws IOException {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String member = parser.currentName();
        parser.nextToken();
        if (!"task".equals(member)) {
          parser.skipChildren();
          continue;
        }
        String arn = null;
        String desired = null;
        String last = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          switch (name) {
            case "taskArn" -> arn = parser.getText();
            case "desiredStatus" -> desired = parser.getText();
            case "lastStatus" -> last = parser.getText();
            default -> parser.skipChildren();
          }
        }
        if (arn != null && "RUNNING".equals(desired) && !"RUNNING".equals(last)) {
          toRun.add(arn);
        } else if (arn != null
            && "STOPPED".equals(desired)
            && !"STOPPED".equals(last)
            && !"DEACTIVATING".equals(last)) {
          toStop.add(arn);
        }
      }
    }

    /**
     * Reports the tasks to run and to stop that were not reported so before, as RUNNING and
     * STOPPED, in one message.
     */
    private void report(List<String> toRun, List<String> toStop) {
      ObjectNode batch = Json.object();
      batch.put("type", AgentChannel.STATE_CHANGES);
      batch.put("id", ++nextBatch);
      ArrayNode changes = batch.putArray("changes");
      for (String arn : toRun) {
        if (seen.add(arn)) {
          addChange(changes, arn, "RUNNING");
        }
      }
      for (String arn : toStop) {
        if (stopped.add(arn)) {
          addChange(changes, arn, "STOPPED");
        }
      }
      if (!changes.isEmpty()) {
        send(batch.toString());
      }
    }

    private void addChange(ArrayNode changes, String arn, String status) {
      ObjectNode change = changes.addObject();
      change.put("cluster", cluster);
      change.put("task", arn);
      change.put("status", status);
      change
          .putArray("containers")
          .addObject()
          .put("containerName", containerName)
          .put("runtimeId", "sim-" + arn.substring(arn.lastIndexOf('/') + 1))
          .put("status", status);
    }
  }
}
