package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.CreateClusterResponse;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListClustersResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/** Clusters through the AWS SDK for Java v2 against a real Berth server. */
class ClusterApiTest {
  private static TestServer berth;
  private static EcsClient ecs;

  @BeforeAll
  static void start() {
    berth = TestServer.start();
    ecs = berth.ecs();
  }

  @AfterAll
  static void stop() {
    berth.close();
  }

  @Test
  void localModeHasAnActiveDefaultCluster() {
    DescribeClustersResponse response = ecs.describeClusters(r -> {});
    assertThat(response.clusters())
        .singleElement()
        .satisfies(
            cluster -> {
              assertThat(cluster.clusterName()).isEqualTo("default");
              assertThat(cluster.clusterArn())
                  .isEqualTo("arn:aws:ecs:us-east-1:000000000000:cluster/default");
              assertThat(cluster.status()).isEqualTo("ACTIVE");
            });
    assertThat(response.failures()).isEmpty();
  }

  @Test
  void createClusterReturnsTheFullClusterShape() {
    CreateClusterResponse response =
        ecs.createCluster(
            r ->
                r.clusterName("shape")
                    .tags(Tag.builder().key("team").value("web").build())
                    .settings(
                        ClusterSetting.builder()
                            .name(ClusterSettingName.CONTAINER_INSIGHTS)
                            .value("enabled")
                            .build())
                    .configuration(c -> c.executeCommandConfiguration(e -> e.logging("DEFAULT"))));
    Cluster cluster = response.cluster();
    assertThat(cluster.clusterArn()).isEqualTo("arn:aws:ecs:us-east-1:000000000000:cluster/shape");
    assertThat(cluster.status()).isEqualTo("ACTIVE");
    assertThat(cluster.registeredContainerInstancesCount()).isZero();
    assertThat(cluster.runningTasksCount()).isZero();
    assertThat(cluster.pendingTasksCount()).isZero();
    assertThat(cluster.activeServicesCount()).isZero();
    assertThat(cluster.tags()).containsExactly(Tag.builder().key("team").value("web").build());
    assertThat(cluster.settings())
        .containsExactly(
            ClusterSetting.builder()
                .name(ClusterSettingName.CONTAINER_INSIGHTS)
                .value("enabled")
                .build());
    assertThat(cluster.configuration().executeCommandConfiguration().loggingAsString())
        .isEqualTo("DEFAULT");
  }

  @Test
  void createClusterIsIdempotentByName() {
    Cluster first =
        ecs.createCluster(
                r -> r.clusterName("twice").tags(Tag.builder().key("a").value("1").build()))
            .cluster();
    Cluster second = ecs.createCluster(r -> r.clusterName("twice")).cluster();
    assertThat(second.clusterArn()).isEqualTo(first.clusterArn());
    assertThat(second.tags()).isEqualTo(first.tags());
  }

  @Test
  void describeClustersIncludesOptionalPartsOnlyWhenAsked() {
    ecs.createCluster(
        r -> r.clusterName("include").tags(Tag.builder().key("k").value("v").build()));
    Cluster plain = ecs.describeClusters(r -> r.clusters("include")).clusters().get(0);
    assertThat(plain.hasTags()).isFalse();
    assertThat(plain.hasSettings()).isFalse();
    assertThat(plain.statistics()).isEmpty();

    Cluster full =
        ecs.describeClusters(
                r ->
                    r.clusters("arn:aws:ecs:us-east-1:000000000000:cluster/include")
                        .include(ClusterField.TAGS, ClusterField.SETTINGS, ClusterField.STATISTICS))
            .clusters()
            .get(0);
    assertThat(full.tags()).extracting(Tag::key).containsExactly("k");
    assertThat(full.settings()).extracting(ClusterSetting::value).containsExactly("disabled");
    assertThat(full.statistics())
        .extracting(s -> s.name())
        .contains("runningEC2TasksCount", "pendingEC2TasksCount");
  }

  @Test
  void describeClustersReportsAMissingClusterByItsFullArnWithReasonMissing() {
    DescribeClustersResponse response =
        ecs.describeClusters(
            r ->
                r.clusters(
                    "default",
                    "no-such-cluster",
                    "arn:aws:ecs:us-east-1:000000000000:cluster/no-such-arn"));
    assertThat(response.clusters()).extracting(Cluster::clusterName).containsExactly("default");
    assertThat(response.failures())
        .extracting(failure -> failure.arn() + " " + failure.reason())
        .containsExactly(
            "arn:aws:ecs:us-east-1:000000000000:cluster/no-such-cluster MISSING",
            "arn:aws:ecs:us-east-1:000000000000:cluster/no-such-arn MISSING");
  }

  @Test
  void listClustersPagesWithNextToken() {
    try (EcsClient paging = berth.ecs(Region.of("eu-north-1"))) {
      IntStream.range(0, 7).forEach(i -> paging.createCluster(r -> r.clusterName("page-" + i)));
      List<String> seen = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        String next = token;
        ListClustersResponse page = paging.listClusters(r -> r.maxResults(3).nextToken(next));
        assertThat(page.clusterArns()).hasSizeLessThanOrEqualTo(3);
        seen.addAll(page.clusterArns());
        token = page.nextToken();
        pages++;
      } while (token != null);
      assertThat(pages).isEqualTo(3);
      assertThat(seen)
          .containsExactly(
              IntStream.range(0, 7)
                  .mapToObj(i -> "arn:aws:ecs:eu-north-1:000000000000:cluster/page-" + i)
                  .toArray(String[]::new));
      // The SDK's paginator walks the same pages.
      assertThat(paging.listClustersPaginator(r -> r.maxResults(2)).clusterArns()).hasSize(7);
    }
  }

  @Test
  void listClustersRefusesBadPagingParameters() {
    assertThatThrownBy(() -> ecs.listClusters(r -> r.maxResults(101)))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> ecs.listClusters(r -> r.nextToken("not-a-token")))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void clustersArePartitionedByRegion() {
    try (EcsClient west = berth.ecs(Region.US_WEST_2)) {
      west.createCluster(r -> r.clusterName("regional"));
      assertThat(west.listClusters().clusterArns())
          .contains("arn:aws:ecs:us-west-2:000000000000:cluster/regional");
      assertThat(ecs.listClusters().clusterArns())
          .doesNotContain("arn:aws:ecs:us-east-1:000000000000:cluster/regional");
    }
  }

  @Test
  void updateClusterSettingsChangesContainerInsights() {
    ecs.createCluster(r -> r.clusterName("insights"));
    Cluster updated =
        ecs.updateClusterSettings(
                r ->
                    r.cluster("insights")
                        .settings(
                            ClusterSetting.builder()
                                .name(ClusterSettingName.CONTAINER_INSIGHTS)
                                .value("enhanced")
                                .build()))
            .cluster();
    assertThat(updated.settings()).extracting(ClusterSetting::value).containsExactly("enhanced");
    assertThatThrownBy(
            () ->
                ecs.updateClusterSettings(
                    r ->
                        r.cluster("insights")
                            .settings(
                                ClusterSetting.builder()
                                    .name(ClusterSettingName.CONTAINER_INSIGHTS)
                                    .value("sometimes")
                                    .build())))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("sometimes");
  }

  @Test
  void updateClusterReplacesConfiguration() {
    ecs.createCluster(r -> r.clusterName("configured"));
    Cluster updated =
        ecs.updateCluster(
                r ->
                    r.cluster("configured")
                        .configuration(c -> c.executeCommandConfiguration(e -> e.logging("NONE"))))
            .cluster();
    assertThat(updated.configuration().executeCommandConfiguration().loggingAsString())
        .isEqualTo("NONE");
    Cluster described =
        ecs.describeClusters(r -> r.clusters("configured").include(ClusterField.CONFIGURATIONS))
            .clusters()
            .get(0);
    assertThat(described.configuration().executeCommandConfiguration().loggingAsString())
        .isEqualTo("NONE");
  }

  @Test
  void deleteClusterLeavesItInactiveAndDescribable() {
    ecs.createCluster(r -> r.clusterName("doomed"));
    Cluster deleted = ecs.deleteCluster(r -> r.cluster("doomed")).cluster();
    assertThat(deleted.status()).isEqualTo("INACTIVE");
    assertThat(ecs.describeClusters(r -> r.clusters("doomed")).clusters())
        .extracting(Cluster::status)
        .containsExactly("INACTIVE");
    assertThat(ecs.listClusters().clusterArns()).doesNotContain(deleted.clusterArn());
    assertThatThrownBy(() -> ecs.deleteCluster(r -> r.cluster("doomed")))
        .isInstanceOf(ClusterNotFoundException.class);
    assertThat(ecs.createCluster(r -> r.clusterName("doomed")).cluster().status())
        .isEqualTo("ACTIVE");
  }

  @Test
  void updatingAnUnknownClusterIsClusterNotFound() {
    assertThatThrownBy(
            () ->
                ecs.updateClusterSettings(
                    r ->
                        r.cluster("ghost")
                            .settings(
                                ClusterSetting.builder()
                                    .name("containerInsights")
                                    .value("enabled")
                                    .build())))
        .isInstanceOf(ClusterNotFoundException.class)
        .satisfies(e -> assertThat(((EcsException) e).statusCode()).isEqualTo(400));
  }

  @Test
  void invalidClusterNamesAreRefused() {
    assertThatThrownBy(() -> ecs.createCluster(r -> r.clusterName("bad name!")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> ecs.createCluster(r -> r.clusterName("x".repeat(256))))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void capacityProviderStrategyMustUseTheClustersProviders() {
    Cluster cluster =
        ecs.createCluster(
                r ->
                    r.clusterName("providers")
                        .capacityProviders("pool-a", "pool-b")
                        .defaultCapacityProviderStrategy(
                            s -> s.capacityProvider("pool-a").weight(1).base(1)))
            .cluster();
    assertThat(cluster.capacityProviders()).containsExactly("pool-a", "pool-b");
    assertThat(cluster.defaultCapacityProviderStrategy())
        .singleElement()
        .satisfies(item -> assertThat(item.base()).isEqualTo(1));
    assertThatThrownBy(
            () ->
                ecs.putClusterCapacityProviders(
                    r ->
                        r.cluster("providers")
                            .capacityProviders("pool-a")
                            .defaultCapacityProviderStrategy(
                                s -> s.capacityProvider("pool-c").weight(1))))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void operationsBerthDoesNotDoYetAreUnsupportedFeatures() {
    assertThatThrownBy(() -> ecs.listServicesByNamespace(r -> r.namespace("web")))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("ListServicesByNamespace");
  }
}
