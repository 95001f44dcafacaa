package dev.berth.server.elb;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ecs.state.Tag;
import java.util.List;

/** An application load balancer as stored: its ARN, name, scheme, subnets and tags. */
record LoadBalancer(
    String arn,
    String name,
    String scheme,
    String ipAddressType,
    List<String> subnets,
    List<String> securityGroups,
    long createdAt,
    List<Tag> tags) {
  LoadBalancer {
    requireNonNull(arn);
    requireNonNull(name);
    requireNonNull(scheme);
    requireNonNull(ipAddressType);
    subnets = List.copyOf(subnets);
    securityGroups = List.copyOf(securityGroups);
    tags = List.copyOf(tags);
  }
}
