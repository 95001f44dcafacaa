package dev.berth.server.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.api.Json;
import dev.berth.store.Mutation;
import dev.berth.store.Row;
import java.io.UncheckedIOException;

/**
 * A record that stores the new version of one entity (a cluster, a task definition, ...) under its
 * kind and key; replay puts it in memory, and the rows of a kind rebuild memory at start-up.
 */
public record EntityRecord<T>(Kind<T> kind, String key, T value) implements StateRecord {
  /** A kind of stored entity: its store name and its Java type. */
  public record Kind<T>(String name, Class<T> type) {
    /** Stored clusters, keyed by ARN. */
    public static final Kind<Cluster> CLUSTER = new Kind<>("cluster", Cluster.class);

    /** Stored task definition revisions, keyed by ARN. */
    public static final Kind<TaskDefinition> TASK_DEFINITION =
        new Kind<>("task-definition", TaskDefinition.class);

    /** Stored container instances, keyed by ARN. */
    public static final Kind<ContainerInstance> CONTAINER_INSTANCE =
        new Kind<>("container-instance", ContainerInstance.class);

    /** Stored container instance versions, keyed by the instance's ARN. */
    public static final Kind<InstanceVersion> CONTAINER_INSTANCE_VERSION =
        new Kind<>("container-instance-version", InstanceVersion.class);

    /** Stored tasks as they were created, keyed by ARN. */
    public static final Kind<Task> TASK = new Kind<>("task", Task.class);

    /**
     * Stored tasks' latest state since they were created, keyed by ARN (see {@link TaskUpdate}).
     */
    public static final Kind<TaskUpdate.Stored> TASK_UPDATE =
        new Kind<>("task-update", TaskUpdate.Stored.class);

    /** Stored services, keyed by ARN. */
    public static final Kind<Service> SERVICE = new Kind<>("service", Service.class);

    /**
     * Stored account settings, keyed by region, principal and name ({@link AccountSetting#key}).
     */
    public static final Kind<AccountSetting> ACCOUNT_SETTING =
        new Kind<>("account-setting", AccountSetting.class);

    /** Returns the entity a stored row holds. */
    public T read(Row row) {
      try {
        return Json.MAPPER.readValue(row.body(), type);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException("unreadable " + name + " row " + row.key(), e);
      }
    }
  }

  /** Creates a record; every part is required. */
  public EntityRecord {
    requireNonNull(kind);
    requireNonNull(key);
    requireNonNull(value);
  }

  /** Returns the record that stores a cluster. */
  public static EntityRecord<Cluster> of(Cluster cluster) {
    return new EntityRecord<>(Kind.CLUSTER, cluster.arn(), cluster);
  }

  /** Returns the record that stores a task definition revision. */
  public static EntityRecord<TaskDefinition> of(TaskDefinition taskDefinition) {
    return new EntityRecord<>(Kind.TASK_DEFINITION, taskDefinition.arn(), taskDefinition);
  }

  /** Returns the record that stores a container instance. */
  public static EntityRecord<ContainerInstance> of(ContainerInstance instance) {
    return new EntityRecord<>(Kind.CONTAINER_INSTANCE, instance.arn(), instance);
  }

  /** Returns the record that stores a container instance's version. */
  public static EntityRecord<InstanceVersion> of(InstanceVersion version) {
    return new EntityRecord<>(Kind.CONTAINER_INSTANCE_VERSION, version.arn(), version);
  }

  /**
   * Returns the record that stores a new task whole; a stored task's later versions are {@link
   * TaskUpdate}s.
   */
  public static EntityRecord<Task> of(Task task) {
    return new EntityRecord<>(Kind.TASK, task.arn(), task);
  }

  /** Returns the record that stores a service. */
  public static EntityRecord<Service> of(Service service) {
    return new EntityRecord<>(Kind.SERVICE, service.arn(), service);
  }

  @Override
  public Mutation toMutation() {
    try {
      return Mutation.put(kind.name(), key, Json.MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write " + kind.name() + " " + key, e);
    }
  }
}
