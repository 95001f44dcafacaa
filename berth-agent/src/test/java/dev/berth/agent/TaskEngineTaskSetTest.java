package dev.berth.agent;

import static dev.berth.agent.Tasks.container;
import static dev.berth.agent.Tasks.definition;
import static dev.berth.agent.Tasks.newTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.channel.ConnectionTaskSet;
import dev.berth.api.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Task sets as the channel delivers them, and ones with a task this host cannot run: it must not
 * keep the others from running.
 */
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
  void aTaskTheChangesLeaveOutKeepsRunningAndOneRemovedIsStopped() throws Exception {
    ObjectNode web = definition("web", container("web"));
    Tasks.Placed kept = newTask(web);
    Tasks.Placed removed = newTask(web);
    host.sendOverChannel(kept, removed);
    host.reports.awaitTask(kept.arn(), "RUNNING");
    host.reports.awaitTask(removed.arn(), "RUNNING");
    Tasks.Placed added = newTask(web);

    host.sendOverChannel(kept, added);

    host.reports.awaitTask(added.arn(), "RUNNING");
    host.reports.awaitTask(removed.arn(), "STOPPED");
    assertThat(host.reports.taskStatuses(kept.arn())).doesNotContain("STOPPED");
  }

  @Test
  void aDesiredStatusChangeStopsTheTaskAndDeactivatingHoldsItUntilItEnds() throws Exception {
    ObjectNode web = definition("web", container("web"));
    Tasks.Placed drained = newTask(web);
    Tasks.Placed other = newTask(web);
    host.sendOverChannel(drained, other);
    host.reports.awaitTask(drained.arn(), "RUNNING");
    host.reports.awaitTask(other.arn(), "RUNNING");

    // A stop keeps the first reason it is asked with: were the task stopped while DEACTIVATING,
    // its reason would be the first one.
    host.sendOverChannel(drained.stopped("Draining").lastStatus("DEACTIVATING"), other);
    host.sendOverChannel(drained.stopped("Drained").lastStatus("STOPPING"), other);
    // Nothing the agent must act on changed: the server sends nothing.
    host.sendOverChannel(drained.stopped("Drained").lastStatus("STOPPED"), other);

    assertThat(host.reports.awaitTask(drained.arn(), "STOPPED").reason()).isEqualTo("Drained");
    assertThat(host.reports.taskStatuses(other.arn())).doesNotContain("STOPPED");
  }

  @Test
  void aTaskWhoseDefinitionNeverCameIsStoppedWithTheReasonAndTheOthersRun() throws Exception {
    Tasks.Placed web = newTask(definition("web", container("web")));
    Tasks.Placed orphan = newTask(definition("orphan", container("orphan")));
    ArrayNode set = (ArrayNode) Tasks.taskSet(web, orphan);
    ((ObjectNode) set.get(1)).remove("taskDefinition");
    ObjectNode message = Json.object().put("type", "tasks");
    message.set("tasks", set);

    host.engine.reconcile(new ConnectionTaskSet().apply(message));

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
