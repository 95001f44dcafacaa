package dev.berth.server.elb;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A listener as stored: its load balancer, protocol, port and default actions. */
record Listener(
    String arn, String loadBalancerArn, String protocol, int port, List<ElbAction> defaultActions) {
  Listener {
    requireNonNull(arn);
    requireNonNull(loadBalancerArn);
    requireNonNull(protocol);
    defaultActions = List.copyOf(defaultActions);
  }
}
