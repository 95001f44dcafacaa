package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/** The test fixture's report log can be read by a test while the agent's threads report to it. */
class ReportLogTest {
  private static final String TASK = "arn:aws:ecs:us-east-1:000000000000:task/c/1";
  private static final int WRITERS = 4;
  private static final int READERS = 4;
  private static final int REPORTS_EACH = 2_000;

  @Test
  void taskStatusesCanBeReadWhileReportsArrive() throws Exception {
    ReportLog log = new ReportLog();
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch written = new CountDownLatch(WRITERS);
    List<Future<?>> work = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(WRITERS + READERS)) {
      for (int w = 0; w < WRITERS; w++) {
        work.add(
            threads.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < REPORTS_EACH; i++) {
                    log.submitContainerStateChange(
                        SubmitContainerStateChangeRequest.builder()
                            .task(TASK)
                            .containerName("main")
                            .status("RUNNING")
                            .build());
                    log.submitTaskStateChange(
                        SubmitTaskStateChangeRequest.builder()
                            .task(TASK)
                            .status("RUNNING")
                            .build());
                  }
                  written.countDown();
                  return null;
                }));
      }
      for (int r = 0; r < READERS; r++) {
        work.add(
            threads.submit(
                () -> {
                  go.await();
                  // Reads until every writer is done, so reads and writes overlap throughout.
                  do {
                    log.taskStatuses(TASK);
                    log.wasStopped(TASK);
                  } while (written.getCount() > 0);
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> each : work) {
        each.get(); // rethrows what a reader or writer threw, e.g. ConcurrentModificationException
      }
    }

    assertThat(log.taskStatuses(TASK)).hasSize(WRITERS * REPORTS_EACH).containsOnly("RUNNING");
    assertThat(log.wasStopped(TASK)).isFalse();
  }
}
