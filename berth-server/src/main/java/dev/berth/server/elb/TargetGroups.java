package dev.berth.server.elb;

import dev.berth.server.proxy.TargetHealth;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The seam through which an ECS service controller puts its tasks behind a target group, as ECS
 * does for a service's {@code loadBalancers}: register a task's host port when it runs, wait for
 * the target group to call it healthy, and deregister it before stopping it, waiting for the drain.
 *
 * <p>A target is named as in RegisterTargets: for a target group of type {@code ip} by the IP
 * address the task is reached at (127.0.0.1 and the host port for tasks on the local agent), for
 * type {@code instance} by the container instance's EC2 instance id and the host port. Changes are
 * committed to the store like the API's, so they survive a restart.
 */
public interface TargetGroups {
  /**
   * What ECS needs to know of a target group: its target type ({@code instance} or {@code ip}) and
   * whether a load balancer forwards to it.
   */
  record Summary(String targetType, boolean hasLoadBalancer) {}

  /** Returns the target group's summary, or null if no target group has that ARN. */
  Summary describe(String targetGroupArn);

  /**
   * Registers a target (again registering one is harmless); the future completes once the
   * registration is durable, or fails with the API's error (TargetGroupNotFound, InvalidTarget).
   */
  CompletableFuture<Void> register(String targetGroupArn, String targetId, int port);

  /**
   * Deregisters a target; the future completes when it has drained: no request in flight to it any
   * more, or the group's deregistration delay passed. A target not registered completes at once (or
   * when an earlier deregistration of it has drained).
   */
  CompletableFuture<Void> deregister(String targetGroupArn, String targetId, int port);

  /** Returns the target's health as DescribeTargetHealth reports it. */
  TargetHealth health(String targetGroupArn, String targetId, int port);

  /**
   * Returns the ARNs of the target groups of the region in which the target is registered or still
   * draining: where a service's task is, whatever its service says today.
   */
  List<String> groupsWith(String region, String targetId, int port);
}
