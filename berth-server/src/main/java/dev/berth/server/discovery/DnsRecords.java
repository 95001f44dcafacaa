package dev.berth.server.discovery;

import dev.berth.server.dns.DnsZone;
import dev.berth.server.dns.RecordSet;
import dev.berth.server.dns.Routing;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNS records Cloud Map (through Route 53) keeps for a private DNS namespace, as a {@link
 * DnsZone}: for each service {@code SERVICE.NAMESPACE} with an A, AAAA, CNAME or SRV record per
 * registered instance, and for SRV services the instance names {@code INSTANCE.SERVICE.NAMESPACE}
 * the SRV records point to, with their addresses.
 */
final class DnsRecords {
  /** The SOA's primary name server, as in Route 53's private hosted zones. */
  static final String SOA_HOST = "ns-1536.awsdns-00.co.uk.";

  /** The SOA's mailbox, as in Route 53's hosted zones. */
  static final String SOA_ADMIN = "awsdns-hostmaster.amazon.com.";

  /** The SOA TTL of a namespace created without one: the TTL of negative answers. */
  static final long DEFAULT_SOA_TTL = 15;

  /** SRV records' priority and weight, fixed by Cloud Map. */
  static final int SRV_PRIORITY = 1;

  private DnsRecords() {}

  /** Returns the name of a namespace as an absolute DNS name, or null if it is none. */
  static Name origin(String namespaceName) {
    try {
      return Name.fromString(namespaceName, Name.root);
    } catch (TextParseException e) {
      return null;
    }
  }

  /** Returns the zone of a DNS namespace with the services and instances of the region. */
  static DnsZone zoneOf(
      Namespace namespace, Collection<CloudMapService> services, DiscoveryRegion region) {
    Name origin = origin(namespace.name());
    Name host = name(SOA_HOST);
    SOARecord soa =
        new SOARecord(
            origin,
            DClass.IN,
            namespace.soaTtl(),
            host,
            name(SOA_ADMIN),
            1,
            7200,
            900,
            1209600,
            // Negative answers are cached for min(SOA TTL, minimum): the namespace's SOA TTL.
            86400);
    DnsZone.Builder zone = DnsZone.builder(origin, soa);
    Record ns = new NSRecord(origin, DClass.IN, 172800, host);
    zone.add(origin, new RecordSet(Type.NS, Routing.MULTIVALUE, List.of(ns), List.of(ns)));
    for (CloudMapService service : services) {
      if (!service.dnsRecords().isEmpty()) {
        addService(zone, origin, service, region.instances(service.id()));
      }
    }
    return zone.build();
  }

  private static void addService(
      DnsZone.Builder zone,
      Name origin,
      CloudMapService service,
      Collection<ServiceInstance> instances) {
    Name owner;
    try {
      owner = Name.fromString(service.name(), origin);
    } catch (TextParseException e) {
      return;
    }
    Routing routing =
        "WEIGHTED".equals(service.routingPolicy()) ? Routing.WEIGHTED : Routing.MULTIVALUE;
    Map<Integer, Sets> byType = new LinkedHashMap<>();
    Map<Name, Map<Integer, Sets>> targets = new LinkedHashMap<>();
    for (ServiceInstance instance : instances) {
      for (CloudMapService.DnsRecordSpec spec : service.dnsRecords()) {
        Record record = record(owner, spec, instance);
        if (record != null) {
          byType.computeIfAbsent(record.getType(), type -> new Sets()).add(record, instance);
        }
        if (record instanceof SRVRecord srv) {
          // Cloud Map gives the SRV target its own A and AAAA records.
          long ttl = addressTtl(service, spec);
          for (String type : List.of("A", "AAAA")) {
            Record address =
                record(srv.getTarget(), new CloudMapService.DnsRecordSpec(type, ttl), instance);
            if (address != null) {
              targets
                  .computeIfAbsent(srv.getTarget(), name -> new LinkedHashMap<>())
                  .computeIfAbsent(address.getType(), t -> new Sets())
                  .add(address, instance);
            }
          }
        }
      }
    }
    byType.forEach((type, sets) -> zone.add(owner, sets.toRecordSet(type, routing)));
    targets.forEach(
        (name, sets) ->
            sets.forEach((type, set) -> zone.add(name, set.toRecordSet(type, Routing.MULTIVALUE))));
  }

  private static long addressTtl(CloudMapService service, CloudMapService.DnsRecordSpec srv) {
    CloudMapService.DnsRecordSpec a = service.dnsRecord("A");
    return a == null ? srv.ttl() : a.ttl();
  }

  /** Returns the record an instance gets for a record spec, or null if it lacks the attribute. */
  static Record record(Name owner, CloudMapService.DnsRecordSpec spec, ServiceInstance instance) {
    Map<String, String> attributes = instance.attributes();
    try {
      return switch (spec.type()) {
        case "A" -> {
          InetAddress address = address(attributes.get(ServiceInstance.IPV4), Address.IPv4);
          yield address == null ? null : new ARecord(owner, DClass.IN, spec.ttl(), address);
        }
        case "AAAA" -> {
          InetAddress address = address(attributes.get(ServiceInstance.IPV6), Address.IPv6);
          yield address == null ? null : new AAAARecord(owner, DClass.IN, spec.ttl(), address);
        }
        case "CNAME" -> {
          String target = attributes.get("AWS_INSTANCE_CNAME");
          yield target == null
              ? null
              : new CNAMERecord(owner, DClass.IN, spec.ttl(), Name.fromString(target, Name.root));
        }
        case "SRV" -> {
          String port = attributes.get(ServiceInstance.PORT);
          yield port == null
              ? null
              : new SRVRecord(
                  owner,
                  DClass.IN,
                  spec.ttl(),
                  SRV_PRIORITY,
                  SRV_PRIORITY,
                  Integer.parseInt(port),
                  Name.fromString(instance.id(), owner));
        }
        default -> null;
      };
    } catch (TextParseException | IllegalArgumentException e) {
      // Registration checks the attributes; an instance id that is no DNS name gets no record.
      return null;
    }
  }

  private static InetAddress address(String text, int family) {
    if (text == null) {
      return null;
    }
    byte[] bytes = Address.toByteArray(text, family);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The records of one type at one name, healthy and all. */
  private static final class Sets {
    private final List<Record> healthy = new ArrayList<>();
    private final List<Record> all = new ArrayList<>();

    void add(Record record, ServiceInstance instance) {
      all.add(record);
      if (instance.isHealthy()) {
        healthy.add(record);
      }
    }

    RecordSet toRecordSet(int type, Routing routing) {
      return new RecordSet(type, routing, healthy, all);
    }
  }
}
