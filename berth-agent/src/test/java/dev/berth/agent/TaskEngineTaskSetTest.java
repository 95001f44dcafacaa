package dev.berth.agent;

import static dev.berth.agent.Tasks.container;
import static dev.berth.agent.Tasks.definition;
import static dev.berth.agent.Tasks.newTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Task sets with a task this host cannot run: it must not keep the others from running. */
class TaskEngineTaskSetTest {
  private final EngineFixture host = new EngineFixture();

  @AfterEach
  void stopHost() throws Exception {
    host.close();
  }

  @Test
  void taskWithAVolumeThisHostCannotProvideIsStoppedAndTheOthersRun() throws Exception {
    ObjectNode efs = definition("files", container("files"));
    efs.putArray("volumes")
        .addObject()
        .put("name", "shared")
        .putObject("efsVolumeConfiguration")
        .put("fileSystemId", "fs-12345678");
    Tasks.Placed unsupported = newTask(efs);
    Tasks.Placed web = newTask(definition("web", container("web")));

    assertThatCode(() -> host.send(unsupported, web)).doesNotThrowAnyException();

    host.reports.awaitTask(web.arn(), "RUNNING");
    assertThat(host.reports.awaitTask(unsupported.arn(), "STOPPED").reason())
        .contains("efsVolumeConfiguration");
  }
}
