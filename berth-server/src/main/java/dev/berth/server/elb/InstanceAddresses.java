package dev.berth.server.elb;

/**
 * Resolves the targets a target group of type {@code instance} names by EC2 instance id to the
 * address the load balancer connects to: in Berth, the id of a registered container instance.
 */
@FunctionalInterface
public interface InstanceAddresses {
  /** Returns the address of the instance with that id in the region, or null if none is known. */
  String addressOf(String region, String ec2InstanceId);
}
