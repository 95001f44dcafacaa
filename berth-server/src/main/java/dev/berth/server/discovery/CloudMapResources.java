package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

import dev.berth.api.Arn;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import dev.berth.server.statemachine.EntityRecord;
import dev.berth.server.statemachine.StateRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the Cloud Map operations share: the state, the clock, ids and ARNs, lookups by id or ARN
 * that fail as Cloud Map fails, and operation records.
 */
final class CloudMapResources {
  /** How long finished operations stay readable with GetOperation. */
  static final Duration OPERATION_RETENTION = Duration.ofDays(1);

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int PRUNE_BATCH = 64;

  private final DiscoveryState state;
  private final Clock clock;

  CloudMapResources(DiscoveryState state, Clock clock) {
    this.state = requireNonNull(state);
    this.clock = requireNonNull(clock);
  }

  /** Returns the state of a region. */
  DiscoveryRegion region(String region) {
    return state.region(region);
  }

  /** Returns the time now in epoch millis. */
  long now() {
    return clock.millis();
  }

  /** Returns a new random id with a prefix, e.g. ns-4fk2... as Cloud Map's ids look. */
  static String newId(String prefix, int length) {
    StringBuilder id = new StringBuilder(prefix);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < length; i++) {
      id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }

  /** Returns a new operation id, shaped as Cloud Map's: 32 characters, a dash and 8 more. */
  static String newOperationId() {
    return newId("", 32) + "-" + newId("", 8);
  }

  /** Returns the ARN of a Cloud Map resource, e.g. namespace/ns-... */
  static String arn(String region, String account, String resource) {
    return new Arn("aws", "servicediscovery", region, account, resource).toString();
  }

  /** Returns the id an Id member names: itself, or the resource id of an ARN of that type. */
  static String idOf(String idOrArn, String resourceType, String region) {
    Arn arn = Arn.parse(idOrArn);
    if (arn == null) {
      return idOrArn;
    }
    if (!"servicediscovery".equals(arn.service())
        || !resourceType.equals(arn.resourceType())
        || !region.equals(arn.region())) {
      return null;
    }
    return arn.resourceId();
  }

  /** Returns the namespace an Id or ARN names, or throws NamespaceNotFound. */
  static Namespace namespace(DiscoveryRegion region, String idOrArn) {
    String id = idOf(idOrArn, "namespace", region.region());
    Namespace namespace = id == null ? null : region.namespace(id);
    if (namespace == null) {
      throw CloudMapErrors.namespaceNotFound(idOrArn);
    }
    return namespace;
  }

  /** Returns the service an Id or ARN names, or throws ServiceNotFound. */
  static CloudMapService service(DiscoveryRegion region, String idOrArn) {
    String id = idOf(idOrArn, "service", region.region());
    CloudMapService service = id == null ? null : region.service(id);
    if (service == null) {
      throw CloudMapErrors.serviceNotFound(idOrArn);
    }
    return service;
  }

  /** Returns the instance of a service, or throws InstanceNotFound. */
  static ServiceInstance instance(DiscoveryRegion region, String serviceId, String instanceId) {
    ServiceInstance instance = region.instance(serviceId, instanceId);
    if (instance == null) {
      throw CloudMapErrors.instanceNotFound(instanceId);
    }
    return instance;
  }

  /**
   * Returns the records of a finished operation, plus the deletion of operations older than the
   * retention (a few at a time, so no command does much of it).
   */
  List<StateRecord> operationRecords(DiscoveryRegion region, Operation operation) {
    List<StateRecord> records = new ArrayList<>();
    records.add(record(operation));
    long horizon = operation.createdAt() - OPERATION_RETENTION.toMillis();
    int pruned = 0;
    for (Operation old : region.operationsByAge()) {
      if (old.createdAt() >= horizon || pruned++ == PRUNE_BATCH) {
        break;
      }
      records.add(new DeleteRecord(DiscoveryRegion.OPERATION, old.key()));
    }
    return records;
  }

  /** Returns a finished operation of a type on targets, at the current time. */
  Operation operation(
      DiscoveryRegion region,
      String account,
      String type,
      Map<String, String> targets,
      String creatorRequestId) {
    return Operation.succeeded(
        newOperationId(), region.region(), account, type, targets, creatorRequestId, now());
  }

  /** Returns the result that stores the records given and answers the response. */
  static <T> CommandResult<T> result(List<StateRecord> records, T response) {
    return new CommandResult<>(records, response);
  }

  /** Returns the record that stores a namespace. */
  static EntityRecord<Namespace> record(Namespace namespace) {
    return new EntityRecord<>(DiscoveryRegion.NAMESPACE, namespace.arn(), namespace);
  }

  /** Returns the record that stores a service. */
  static EntityRecord<CloudMapService> record(CloudMapService service) {
    return new EntityRecord<>(DiscoveryRegion.SERVICE, service.arn(), service);
  }

  /** Returns the record that stores an instance. */
  static EntityRecord<ServiceInstance> record(ServiceInstance instance) {
    return new EntityRecord<>(DiscoveryRegion.INSTANCE, instance.key(), instance);
  }

  /** Returns the record that stores an operation. */
  static EntityRecord<Operation> record(Operation operation) {
    return new EntityRecord<>(DiscoveryRegion.OPERATION, operation.key(), operation);
  }
}
