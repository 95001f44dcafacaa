package dev.berth.app.e2e;

import static dev.berth.app.e2e.LocalBerth.PATIENCE;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

/** Looks at tasks through the SDK, and waits for them, as a user's script would. */
final class EcsTasks {
  private EcsTasks() {}

  /** Returns the task as DescribeTasks shows it. */
  static Task describe(EcsClient ecs, String cluster, String taskArn) {
    return ecs.describeTasks(r -> r.cluster(cluster).tasks(taskArn)).tasks().get(0);
  }

  /**
   * Waits until the task's lastStatus is the one given and returns the task; fails at once if the
   * task stops while another status is awaited.
   */
  static Task awaitStatus(EcsClient ecs, String cluster, String taskArn, String lastStatus) {
    return await(taskArn + " " + lastStatus)
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Task task = describe(ecs, cluster, taskArn);
              if ("STOPPED".equals(task.lastStatus()) && !"STOPPED".equals(lastStatus)) {
                throw new AssertionError(
                    "task stopped while "
                        + lastStatus
                        + " was awaited: "
                        + task.stopCode()
                        + " "
                        + task.stoppedReason()
                        + " "
                        + task.containers());
              }
              return task;
            },
            task -> lastStatus.equals(task.lastStatus()));
  }
}
