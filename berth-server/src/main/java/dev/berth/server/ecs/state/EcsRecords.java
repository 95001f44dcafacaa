package dev.berth.server.ecs.state;

import dev.berth.server.statemachine.EntityRecord;

/** The kinds of ECS entity the store holds, and the records that store each. */
public final class EcsRecords {
  /** Stored clusters, keyed by ARN. */
  public static final EntityRecord.Kind<Cluster> CLUSTER =
      new EntityRecord.Kind<>("cluster", Cluster.class);

  /** Stored task definition revisions, keyed by ARN. */
  public static final EntityRecord.Kind<TaskDefinition> TASK_DEFINITION =
      new EntityRecord.Kind<>("task-definition", TaskDefinition.class);

  /** Stored container instances, keyed by ARN. */
  public static final EntityRecord.Kind<ContainerInstance> CONTAINER_INSTANCE =
      new EntityRecord.Kind<>("container-instance", ContainerInstance.class);

  /** Stored container instance versions, keyed by the instance's ARN. */
  public static final EntityRecord.Kind<InstanceVersion> CONTAINER_INSTANCE_VERSION =
      new EntityRecord.Kind<>("container-instance-version", InstanceVersion.class);

  /** Stored tasks as they were created, keyed by ARN. */
  public static final EntityRecord.Kind<Task> TASK = new EntityRecord.Kind<>("task", Task.class);

  /** Stored tasks' latest state since they were created, keyed by ARN (see {@link TaskUpdate}). */
  public static final EntityRecord.Kind<TaskUpdate.Stored> TASK_UPDATE =
      new EntityRecord.Kind<>("task-update", TaskUpdate.Stored.class);

  /** Stored services, keyed by ARN. */
  public static final EntityRecord.Kind<Service> SERVICE =
      new EntityRecord.Kind<>("service", Service.class);

  /** Stored account settings, keyed by region, principal and name ({@link AccountSetting#key}). */
  public static final EntityRecord.Kind<AccountSetting> ACCOUNT_SETTING =
      new EntityRecord.Kind<>("account-setting", AccountSetting.class);

  /**
   * Stored RunTask client tokens, keyed by the cluster's ARN and the token ({@link
   * ClientToken#keyOf}).
   */
  public static final EntityRecord.Kind<ClientToken> CLIENT_TOKEN =
      new EntityRecord.Kind<>("client-token", ClientToken.class);

  /** Returns the record that stores a cluster. */
  public static EntityRecord<Cluster> of(Cluster cluster) {
    return new EntityRecord<>(CLUSTER, cluster.arn(), cluster);
  }

  /** Returns the record that stores a task definition revision. */
  public static EntityRecord<TaskDefinition> of(TaskDefinition taskDefinition) {
    return new EntityRecord<>(TASK_DEFINITION, taskDefinition.arn(), taskDefinition);
  }

  /** Returns the record that stores a container instance. */
  public static EntityRecord<ContainerInstance> of(ContainerInstance instance) {
    return new EntityRecord<>(CONTAINER_INSTANCE, instance.arn(), instance);
  }

  /** Returns the record that stores a container instance's version. */
  public static EntityRecord<InstanceVersion> of(InstanceVersion version) {
    return new EntityRecord<>(CONTAINER_INSTANCE_VERSION, version.arn(), version);
  }

  /**
   * Returns the record that stores a new task whole; a stored task's later versions are {@link
   * TaskUpdate}s.
   */
  public static EntityRecord<Task> of(Task task) {
    return new EntityRecord<>(TASK, task.arn(), task);
  }

  /** Returns the record that stores a service. */
  public static EntityRecord<Service> of(Service service) {
    return new EntityRecord<>(SERVICE, service.arn(), service);
  }

  /** Returns the record that stores a RunTask client token. */
  public static EntityRecord<ClientToken> of(ClientToken token) {
    return new EntityRecord<>(CLIENT_TOKEN, token.key(), token);
  }

  private EcsRecords() {}
}
