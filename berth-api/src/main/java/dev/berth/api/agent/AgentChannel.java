package dev.berth.api.agent;

/**
 * The long-lived channel between an agent and the server, as both sides speak it.
 *
 * <p>The agent opens a WebSocket at {@code GET /agent/v1?cluster=CLUSTER&containerInstance=ARN},
 * authenticated like every other request: SigV4, here as a presigned query string (service {@code
 * ecs}, the region of the cluster), with the agent's own AWS credentials. Frames are JSON text, one
 * message each, with a {@code type}:
 *
 * <ul>
 *   <li>server to agent, {@value #TASKS}: {@code {"type":"tasks","tasks":[ENTRY, ...]}} where each
 *       ENTRY is {@code {"task":TASK,"taskDefinition":TASK_DEFINITION}}, TASK is ECS's {@code Task}
 *       shape exactly as DescribeTasks answers it (with its tags) and TASK_DEFINITION is ECS's
 *       {@code TaskDefinition} shape. It is the complete set of tasks placed on the instance that
 *       are not yet STOPPED, in ARN order: the agent runs those whose desiredStatus is RUNNING and
 *       stops those whose desiredStatus is STOPPED, except while their lastStatus is DEACTIVATING
 *       (the server is still draining them from their load balancers; it moves them on to STOPPING
 *       when that is done). The server sends it once a connection, as the connection's first
 *       message; every later change comes as {@value #TASK_CHANGES}. The agent keeps the set for as
 *       long as the connection lasts and reconciles towards it, as it stands after each message.
 *   <li>server to agent, {@value #TASK_CHANGES}: {@code {"type":"taskChanges","tasks":[ENTRY,
 *       ...],"removed":[ARN, ...]}}, what changed in the set since the connection's previous
 *       message, sent after every change to it. A burst of changes may come as one message; a
 *       change undone before it is sent, or a task that joined and left the set in between, does
 *       not come at all; and a message with nothing in it is not sent. {@code tasks} holds, in ARN
 *       order, the entries of the tasks that joined the set, whose desiredStatus changed, or whose
 *       lastStatus became or ceased to be DEACTIVATING; each replaces the agent's entry for its
 *       taskArn, if any. {@code removed} holds the ARNs of the tasks that left the set (they
 *       STOPPED, or were removed); the agent drops their entries. Both members are always there,
 *       possibly empty, and no ARN is in both. Other changes to a task, such as a lastStatus the
 *       agent itself reported, its containers or its health, are not sent: the agent's copy of a
 *       task may be older than the server's in those members, never in desiredStatus or in whether
 *       it is DEACTIVATING. The channel is one ordered WebSocket a connection, so no change is lost
 *       within a connection; a message applied twice leaves the set as applying it once did, so a
 *       repeated one does no harm.
 *       <p>Each task definition is sent at most once a connection: the {@code taskDefinition}
 *       member goes with the first entry, in {@value #TASKS} or {@value #TASK_CHANGES}, whose task
 *       has that taskDefinitionArn on the connection, and is left out of every later entry. The
 *       agent keeps the definitions a connection delivered, by ARN, for as long as it lasts, and
 *       completes the later entries from them; a revision never changes what it runs, so the kept
 *       copy stays good (only its status may grow stale). A task the agent does not run yet and has
 *       no definition for (the server has no such revision) is refused: the agent reports it
 *       STOPPED with that reason.
 *       <p>A new connection starts afresh on both sides: the server sends the complete set, with
 *       every definition again, and the agent forgets the set and the definitions of the connection
 *       before.
 *   <li>agent to server, {@value #HEALTH}: {@code {"type":"health","taskArn":ARN,
 *       "containers":[{"name":NAME,"healthStatus":"HEALTHY|UNHEALTHY|UNKNOWN"}, ...]}} whenever a
 *       container's Docker health check changes status; ECS's agent reports health on its telemetry
 *       channel too, since SubmitContainerStateChange has no member for it.
 *   <li>agent to server, {@value #HEARTBEAT}: {@code {"type":"heartbeat"}} every {@link
 *       #HEARTBEAT_SECONDS} seconds. The instance is agentConnected while its channel is open and
 *       heartbeats arrive; after {@link #MISSED_HEARTBEATS} intervals without one the server closes
 *       the channel and marks it disconnected.
 *   <li>agent to server, {@value #STATE_CHANGES}: {@code {"type":"stateChanges","id":ID,
 *       "changes":[CHANGE, ...]}} where each CHANGE is ECS's {@code SubmitTaskStateChangeRequest}
 *       shape, of a task placed on the channel's own instance. The server applies them as
 *       SubmitTaskStateChange does, validated the same way, and once every one is durable (or
 *       refused) answers {@value #STATE_CHANGE_RESULTS}: {@code {"type":"stateChangeResults",
 *       "id":ID,"results":[RESULT, ...]}}, one RESULT a change in the same order, either {@code
 *       {"acknowledgment":"ACK"}} or an error in ECS's shape ({@code {"__type":...,
 *       "message":...}}). Many reports then share one frame, one signature check and one command of
 *       the cluster's writer.
 *   <li>agent to server, {@value #METRICS}: {@code {"type":"metrics","tasks":[{"taskArn":ARN,
 *       "containers":[{"name":NAME,"cpu":SET,"memory":SET}, ...]}, ...]}} every metrics publish
 *       interval (20 s by default, as the ECS agent publishes), for the running containers of tasks
 *       on the channel's own instance. Each SET is {@code {"min":N,"max":N,"sum":N,
 *       "sampleCount":N}} of the samples taken since the previous message: CPU in CPU units in use
 *       (1,024 a core: the CPU time used between two stats readings over the wall-clock time
 *       between them, times 1,024), memory in MiB in use (usage less page cache). A message the
 *       agent could not send is folded into its next one; the server keeps no answer for it.
 * </ul>
 *
 * <p>State changes may also be reported with the ECS operations SubmitTaskStateChange and
 * SubmitContainerStateChange, as the agent does, at least once; either way the server applies each
 * report idempotently and never moves a task or container backwards in its lifecycle.
 */
public final class AgentChannel {
  /** The path of the channel's WebSocket. */
  public static final String PATH = "/agent/v1";

  /** The message type of the server's complete task set, the first message of a connection. */
  public static final String TASKS = "tasks";

  /** The message type of the server's changes to the task set since its previous message. */
  public static final String TASK_CHANGES = "taskChanges";

  /** The message type of the agent's container health report. */
  public static final String HEALTH = "health";

  /** The message type of the agent's heartbeat. */
  public static final String HEARTBEAT = "heartbeat";

  /** The message type of the agent's batch of task state changes. */
  public static final String STATE_CHANGES = "stateChanges";

  /** The message type of the server's answer to a batch of task state changes. */
  public static final String STATE_CHANGE_RESULTS = "stateChangeResults";

  /** The message type of the agent's container CPU and memory samples. */
  public static final String METRICS = "metrics";

  /** How often the agent sends a heartbeat. */
  public static final int HEARTBEAT_SECONDS = 10;

  /** How many heartbeat intervals may pass without one before the instance is disconnected. */
  public static final int MISSED_HEARTBEATS = 3;

  private AgentChannel() {}
}
