package dev.berth.agent;

import static dev.berth.agent.Tasks.container;
import static dev.berth.agent.Tasks.definition;
import static dev.berth.agent.Tasks.newTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.channel.ConnectionDefinitions;
import dev.berth.api.Json;
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

  @Test
  void aTaskWhoseDefinitionCameWithAnEarlierTaskSetRuns() throws Exception {
    ObjectNode web = definition("web", container("web"));
    Tasks.Placed first = newTask(web);
    Tasks.Placed second = newTask(web);
    host.sendOverChannel(first);
    host.reports.awaitTask(first.arn(), "RUNNING");

    host.sendOverChannel(first, second);

    host.reports.awaitTask(second.arn(), "RUNNING");
  }

  @Test
  void aTaskWhoseDefinitionNeverCameIsStoppedWithTheReasonAndTheOthersRun() throws Exception {
    Tasks.Placed web = newTask(definition("web", container("web")));
    Tasks.Placed orphan = newTask(definition("orphan", container("orphan")));
    ArrayNode set = (ArrayNode) Tasks.taskSet(web, orphan);
    ((ObjectNode) set.get(1)).remove("taskDefinition");

    host.engine.reconcile(new ConnectionDefinitions().complete(set));

    host.reports.awaitTask(web.arn(), "RUNNING");
    assertThat(host.reports.awaitTask(orphan.arn(), "STOPPED").reason())
        .isEqualTo(
            "Berth agent cannot run the task: the server sent no task definition "
                + orphan.taskDefinition().path("taskDefinitionArn").asText()
                + " for it");
  }

  @Test
  void aRunningTaskNeedsNoDefinitionToBeKeptOrStopped() throws Exception {
    Tasks.Placed web = newTask(definition("web", container("web")));
    host.sendOverChannel(web);
    host.reports.awaitTask(web.arn(), "RUNNING");
    ArrayNode bare = Json.MAPPER.createArrayNode();
    bare.addObject().set("task", web.task());

    host.engine.reconcile(bare);
    assertThat(host.reports.taskStatuses(web.arn())).doesNotContain("STOPPED");
    web.task().put("desiredStatus", "STOPPED");
    host.engine.reconcile(bare);

    host.reports.awaitTask(web.arn(), "STOPPED");
  }
}
