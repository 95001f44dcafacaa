package dev.berth.server.ecs.state;

import static dev.berth.server.ecs.state.ExampleEntities.cluster;
import static dev.berth.server.ecs.state.ExampleEntities.taskDefinition;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.EntityRecord;
import dev.berth.server.statemachine.FakeStore;
import dev.berth.store.Mutation;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How EcsState rebuilds memory from the store, and how clusters come to exist in it. */
class EcsStateTest {
  private static final Executor DIRECT = Runnable::run;

  @Test
  void loadReplaysStoredClustersIntoTheRegionOfTheirArn() {
    Cluster eastDefault = cluster("us-east-1", "default");
    Cluster eastBatch = cluster("us-east-1", "batch");
    Cluster westDefault = cluster("eu-west-1", "default");
    FakeStore store =
        FakeStore.pending()
            .seed(EcsRecords.of(eastDefault))
            .seed(EcsRecords.of(eastBatch))
            .seed(EcsRecords.of(westDefault));
    EcsState state = new EcsState(store, DIRECT);

    state.load();

    assertThat(state.regions())
        .extracting(RegionState::region)
        .containsExactly("eu-west-1", "us-east-1");
    RegionState east = state.region("us-east-1");
    assertThat(east.clusters()).extracting(ClusterState::name).containsExactly("batch", "default");
    assertThat(east.existingCluster("default").cluster()).isEqualTo(eastDefault);
    assertThat(east.existingCluster("batch").cluster()).isEqualTo(eastBatch);
    RegionState west = state.region("eu-west-1");
    assertThat(west.clusters()).extracting(ClusterState::name).containsExactly("default");
    assertThat(west.existingCluster("default").cluster()).isEqualTo(westDefault);
  }

  @Test
  void loadReplaysStoredTaskDefinitionsIntoTheRegionOfTheirArn() {
    TaskDefinition eastWeb1 = taskDefinition("us-east-1", "web", 1, TaskDefinition.ACTIVE);
    TaskDefinition eastWeb2 = taskDefinition("us-east-1", "web", 2, TaskDefinition.ACTIVE);
    TaskDefinition eastApi1 = taskDefinition("us-east-1", "api", 1, TaskDefinition.ACTIVE);
    TaskDefinition westWeb1 = taskDefinition("eu-west-1", "web", 1, TaskDefinition.INACTIVE);
    FakeStore store =
        FakeStore.pending()
            .seed(EcsRecords.of(eastWeb2))
            .seed(EcsRecords.of(westWeb1))
            .seed(EcsRecords.of(eastApi1))
            .seed(EcsRecords.of(eastWeb1));
    EcsState state = new EcsState(store, DIRECT);

    state.load();

    TaskDefinitions east = state.region("us-east-1").taskDefinitions();
    assertThat(east.families().keySet()).containsExactly("api", "web");
    assertThat(east.families().get("web").keySet()).containsExactly(1, 2);
    assertThat(east.revision("web", 1)).isEqualTo(eastWeb1);
    assertThat(east.revision("web", 2)).isEqualTo(eastWeb2);
    assertThat(east.revision("api", 1)).isEqualTo(eastApi1);
    TaskDefinitions west = state.region("eu-west-1").taskDefinitions();
    assertThat(west.families().keySet()).containsExactly("web");
    assertThat(west.revision("web", 1)).isEqualTo(westWeb1);
    assertThat(west.revision("web", 2)).isNull();
  }

  @Test
  void loadedStateIsWhatLaterCommandsSee() throws Exception {
    Cluster stored = cluster("us-east-1", "default");
    FakeStore store = FakeStore.completingAtOnce().seed(EcsRecords.of(stored));
    EcsState state = new EcsState(store, DIRECT);
    state.load();

    CompletableFuture<Cluster> seen =
        state.region("us-east-1").cluster("default").submit(CommandResult::of);

    assertThat(seen.get(5, SECONDS)).isEqualTo(stored);
  }

  @Test
  void clusterWithoutOptionalMembersReloadsWithThemAbsentNotJsonNull() {
    Cluster bare =
        new Cluster(
            "arn:aws:ecs:us-east-1:000000000000:cluster/bare",
            "bare",
            Cluster.ACTIVE,
            1L,
            null,
            null,
            null,
            List.of(),
            null,
            List.of());
    EcsState state = new EcsState(FakeStore.pending().seed(EcsRecords.of(bare)), DIRECT);

    state.load();

    assertThat(state.region("us-east-1").existingCluster("bare").cluster()).isEqualTo(bare);
  }

  @Test
  void loadRefusesAStoredRowWhoseKeyIsNotAnArn() {
    FakeStore store = FakeStore.pending();
    Cluster cluster = cluster("us-east-1", "default");
    store.seed(() -> new EntityRecord<>(EcsRecords.CLUSTER, "default", cluster).toMutation());
    EcsState state = new EcsState(store, DIRECT);

    assertThatThrownBy(state::load)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("default");
  }

  @Test
  void clusterIsNullBeforeItIsCreated() {
    RegionState region = new EcsState(FakeStore.pending(), DIRECT).region("us-east-1");

    ClusterState holder = region.cluster("default");

    assertThat(holder.name()).isEqualTo("default");
    assertThat(holder.cluster()).isNull();
    assertThat(region.existingCluster("default")).isNull();
  }

  @Test
  void createdClusterIsSeenByTheNextCommandButByReadersOnlyOnceDurable() throws Exception {
    FakeStore store = FakeStore.pending();
    RegionState region = new EcsState(store, DIRECT).region("us-east-1");
    ClusterState holder = region.cluster("default");
    Cluster created = cluster("us-east-1", "default");
    AtomicReference<Cluster> seenByNextCommand = new AtomicReference<>();

    CompletableFuture<Cluster> create =
        holder.submit(current -> CommandResult.of(EcsRecords.of(created), created));
    CompletableFuture<Cluster> seenNext =
        holder.submit(
            current -> {
              seenByNextCommand.set(current);
              return CommandResult.of(holder.cluster());
            });

    assertThat(seenByNextCommand.get()).isEqualTo(created);
    assertThat(holder.cluster()).isNull();
    assertThat(region.existingCluster("default")).isNull();
    // The next command's answer rests on the create: it waits for it.
    assertThat(create).isNotDone();
    assertThat(seenNext).isNotDone();
    assertThat(store.batches().get(0).mutations())
        .containsExactly(EcsRecords.of(created).toMutation());

    store.completeNext();

    assertThat(create.get(5, SECONDS)).isEqualTo(created);
    assertThat(seenNext.get(5, SECONDS)).isEqualTo(created);
    assertThat(holder.cluster()).isEqualTo(created);
    assertThat(store.load(EcsRecords.CLUSTER.name()))
        .extracting(EcsRecords.CLUSTER::read)
        .containsExactly(created);
  }

  @Test
  void clusterCreationWhoseCommitFailsLeavesNoTraceAndTheNextCreationSucceeds() throws Exception {
    FakeStore store = FakeStore.pending();
    RegionState region = new EcsState(store, DIRECT).region("us-east-1");
    ClusterState holder = region.cluster("default");
    Cluster created = cluster("us-east-1", "default");

    CompletableFuture<Cluster> failed =
        holder.submit(current -> CommandResult.of(EcsRecords.of(created), created));
    // A retry queued behind it sees the cluster in the working copy and changes nothing...
    CompletableFuture<Cluster> retry =
        holder.submit(
            current ->
                current == null
                    ? CommandResult.of(EcsRecords.of(created), created)
                    : CommandResult.of(current));
    store.failNext(new IOException("disk full"));

    // ...so it fails with the create it rested on, rather than acknowledge a cluster never stored.
    assertThatThrownBy(() -> failed.get(5, SECONDS)).hasMessageContaining("disk full");
    assertThatThrownBy(() -> retry.get(5, SECONDS)).hasMessageContaining("disk full");
    assertThat(holder.cluster()).isNull();
    assertThat(region.existingCluster("default")).isNull();

    CompletableFuture<Cluster> again =
        holder.submit(
            current ->
                current == null
                    ? CommandResult.of(EcsRecords.of(created), created)
                    : CommandResult.of(current));
    store.completeNext();

    assertThat(again.get(5, SECONDS)).isEqualTo(created);
    assertThat(region.existingCluster("default").cluster()).isEqualTo(created);
  }

  @Test
  void clusterCreationTheStoreRefusesLeavesTheClusterAbsent() {
    FakeStore store = FakeStore.pending();
    store.refuseWrites(new IOException("disk full"));
    RegionState region = new EcsState(store, DIRECT).region("us-east-1");
    Cluster created = cluster("us-east-1", "default");

    CompletableFuture<Cluster> create =
        region
            .cluster("default")
            .submit(current -> CommandResult.of(EcsRecords.of(created), created));

    assertThatThrownBy(() -> create.get(5, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .hasMessageContaining("disk full");
    assertThat(region.cluster("default").cluster()).isNull();
    assertThat(region.existingCluster("default")).isNull();
  }

  @Test
  void storedRowsAreWhatEntityRecordsWrite() {
    Cluster cluster = cluster("us-east-1", "default");
    Mutation mutation = EcsRecords.of(cluster).toMutation();

    assertThat(mutation.kind()).isEqualTo("cluster");
    assertThat(mutation.key()).isEqualTo(cluster.arn());
    FakeStore store = FakeStore.pending().seed(EcsRecords.of(cluster));
    assertThat(EcsRecords.CLUSTER.read(store.get("cluster", cluster.arn()))).isEqualTo(cluster);
  }
}
