package dev.berth.server.discovery;

import static java.util.Objects.requireNonNull;

import dev.berth.server.dns.ZoneDirectory;
import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import dev.berth.server.statemachine.EntityRecord;
import dev.berth.server.statemachine.StateRecord;
import dev.berth.server.statemachine.StateWriter;
import dev.berth.store.Store;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Cloud Map's state in one region: namespaces, services, instances and operations, changed only by
 * the region's single writer and read from any thread. The writer's post-commit hook republishes to
 * the DNS server's {@link ZoneDirectory} the zone of every DNS namespace a durable batch changed;
 * at start-up {@link #load} publishes every zone once.
 */
final class DiscoveryRegion {
  /** Stored namespaces, keyed by ARN. */
  static final EntityRecord.Kind<Namespace> NAMESPACE =
      new EntityRecord.Kind<>("sd-namespace", Namespace.class);

  /** Stored services, keyed by ARN. */
  static final EntityRecord.Kind<CloudMapService> SERVICE =
      new EntityRecord.Kind<>("sd-service", CloudMapService.class);

  /** Stored instances, keyed by region, service id and instance id. */
  static final EntityRecord.Kind<ServiceInstance> INSTANCE =
      new EntityRecord.Kind<>("sd-instance", ServiceInstance.class);

  /** Stored operations, keyed by region and operation id. */
  static final EntityRecord.Kind<Operation> OPERATION =
      new EntityRecord.Kind<>("sd-operation", Operation.class);

  private final String region;
  private final StateWriter writer;
  private final ZoneDirectory zones;
  private final NavigableMap<String, Namespace> namespaces = new ConcurrentSkipListMap<>();
  private final NavigableMap<String, CloudMapService> services = new ConcurrentSkipListMap<>();
  private final Map<String, NavigableMap<String, ServiceInstance>> instances =
      new ConcurrentHashMap<>();
  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  // Written by the writer only: operations oldest first, to forget the oldest.
  private final ArrayDeque<Operation> operationsByAge = new ArrayDeque<>();
  private final Map<String, Operation> operationsByRequest = new ConcurrentHashMap<>();
  private final Map<String, String> keyToNamespaceId = new ConcurrentHashMap<>();
  private final Map<String, String> keyToServiceId = new ConcurrentHashMap<>();
  // Written by the writer only: namespaces whose DNS zone the records replayed since the last
  // batch (or load) touched; published once the whole durable batch is applied, never per record.
  private final Set<String> touchedZones = new HashSet<>();
  private final List<String> withdrawnZones = new ArrayList<>();

  DiscoveryRegion(String region, Store store, Executor executor, ZoneDirectory zones) {
    this.region = requireNonNull(region);
    this.zones = requireNonNull(zones);
    this.writer =
        new StateWriter(
            store,
            executor,
            new StateWriter.Memory() {
              @Override
              public void applyCommitted(StateRecord record) {
                replay(record);
              }

              @Override
              public void batchApplied() {
                // DNS answers what the API answered: zones in step before the callers hear.
                publishTouched();
              }
            });
  }

  /** Returns the region's name. */
  String region() {
    return region;
  }

  /** Runs a command on the region's writer; see {@link StateWriter#submit}. */
  <T> CompletableFuture<T> submit(Supplier<CommandResult<T>> command) {
    return writer.submit(command);
  }

  /** Returns the namespaces by id, in id order. */
  Collection<Namespace> namespaces() {
    return Collections.unmodifiableCollection(namespaces.values());
  }

  /** Returns a namespace by id, or null. */
  Namespace namespace(String id) {
    return namespaces.get(id);
  }

  /** Returns the services by id, in id order. */
  Collection<CloudMapService> services() {
    return Collections.unmodifiableCollection(services.values());
  }

  /** Returns a service by id, or null. */
  CloudMapService service(String id) {
    return services.get(id);
  }

  /** Returns the instances of a service, in id order. */
  Collection<ServiceInstance> instances(String serviceId) {
    NavigableMap<String, ServiceInstance> ofService = instances.get(serviceId);
    return ofService == null
        ? Collections.emptyList()
        : Collections.unmodifiableCollection(ofService.values());
  }

  /** Returns an instance of a service, or null. */
  ServiceInstance instance(String serviceId, String instanceId) {
    NavigableMap<String, ServiceInstance> ofService = instances.get(serviceId);
    return ofService == null ? null : ofService.get(instanceId);
  }

  /** Returns an operation by id, or null. */
  Operation operation(String id) {
    return operations.get(id);
  }

  /** Returns the operation a CreatorRequestId started, or null. */
  Operation operationByRequest(String creatorRequestId) {
    return creatorRequestId == null ? null : operationsByRequest.get(creatorRequestId);
  }

  /** Returns the operations oldest first; for the writer only. */
  Collection<Operation> operationsByAge() {
    return Collections.unmodifiableCollection(operationsByAge);
  }

  /** Applies a record to memory; at run time on the writer, at start-up from the store. */
  void replay(StateRecord record) {
    Set<String> touched = touchedZones;
    if (record instanceof EntityRecord<?> entity) {
      Object value = entity.value();
      switch (value) {
        case Namespace namespace -> {
          namespaces.put(namespace.id(), namespace);
          keyToNamespaceId.put(entity.key(), namespace.id());
          touched.add(namespace.id());
        }
        case CloudMapService service -> {
          CloudMapService before = services.put(service.id(), service);
          keyToServiceId.put(entity.key(), service.id());
          // A new instance revision alone changes no DNS record.
          if (before == null || !before.equals(service.withRevisionOf(before))) {
            touched.add(service.namespaceId());
          }
        }
        case ServiceInstance instance -> {
          instances
              .computeIfAbsent(instance.serviceId(), id -> new ConcurrentSkipListMap<>())
              .put(instance.id(), instance);
          touched.add(namespaceOf(instance.serviceId()));
        }
        case Operation operation -> {
          if (operations.put(operation.id(), operation) == null) {
            operationsByAge.addLast(operation);
          }
          if (operation.creatorRequestId() != null) {
            operationsByRequest.put(operation.creatorRequestId(), operation);
          }
        }
        default -> throw new IllegalArgumentException("not a Cloud Map entity: " + value);
      }
    } else if (record instanceof DeleteRecord delete) {
      String kind = delete.kind().name();
      if (kind.equals(NAMESPACE.name())) {
        String id = keyToNamespaceId.remove(delete.key());
        Namespace gone = id == null ? null : namespaces.remove(id);
        if (gone != null) {
          withdrawnZones.add(gone.arn());
        }
      } else if (kind.equals(SERVICE.name())) {
        String id = keyToServiceId.remove(delete.key());
        CloudMapService gone = id == null ? null : services.remove(id);
        if (gone != null) {
          instances.remove(gone.id());
          touched.add(gone.namespaceId());
        }
      } else if (kind.equals(INSTANCE.name())) {
        String[] parts = delete.key().split("/", 3);
        NavigableMap<String, ServiceInstance> ofService = instances.get(parts[1]);
        if (ofService != null && ofService.remove(parts[2]) != null) {
          touched.add(namespaceOf(parts[1]));
        }
      } else if (kind.equals(OPERATION.name())) {
        Operation gone = operations.remove(delete.key().substring(region.length() + 1));
        if (gone != null) {
          operationsByAge.remove(gone);
          if (gone.creatorRequestId() != null) {
            operationsByRequest.remove(gone.creatorRequestId(), gone);
          }
        }
      } else {
        throw new IllegalArgumentException("not a Cloud Map kind: " + kind);
      }
    } else {
      throw new IllegalArgumentException("not a Cloud Map record: " + record);
    }
  }

  /** Replays stored rows at start-up without publishing zones, then publishes every zone. */
  void load(Runnable replays) {
    replays.run();
    touchedZones.clear();
    withdrawnZones.clear();
    namespaces.keySet().forEach(this::publishZone);
  }

  /** Publishes the zones the durable batch just applied touched, and withdraws those it deleted. */
  private void publishTouched() {
    withdrawnZones.forEach(zones::withdraw);
    withdrawnZones.clear();
    if (touchedZones.isEmpty()) {
      return;
    }
    List<String> touched = new ArrayList<>(touchedZones);
    touchedZones.clear();
    touched.forEach(this::publishZone);
  }

  private String namespaceOf(String serviceId) {
    CloudMapService service = services.get(serviceId);
    return service == null ? null : service.namespaceId();
  }

  private void publishZone(String namespaceId) {
    Namespace namespace = namespaceId == null ? null : namespaces.get(namespaceId);
    if (namespace == null || !namespace.isDns()) {
      return;
    }
    zones.publish(namespace.arn(), DnsRecords.zoneOf(namespace, servicesIn(namespaceId), this));
  }

  private Collection<CloudMapService> servicesIn(String namespaceId) {
    return services.values().stream()
        .filter(service -> service.namespaceId().equals(namespaceId))
        .toList();
  }
}
