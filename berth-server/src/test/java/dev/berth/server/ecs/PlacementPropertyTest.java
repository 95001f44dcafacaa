package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Placement as a property: random instances, random task sizes, random strategies and constraints,
 * concurrent RunTask calls through the service. Whatever is placed, no instance is ever overbooked
 * and no constraint is ever broken.
 */
class PlacementPropertyTest {
  private static final List<String> STRATEGIES =
      List.of(
          "[]",
          "[{\"type\":\"binpack\",\"field\":\"cpu\"}]",
          "[{\"type\":\"binpack\",\"field\":\"memory\"}]",
          "[{\"type\":\"spread\",\"field\":\"attribute:ecs.availability-zone\"}]",
          "[{\"type\":\"spread\",\"field\":\"host\"},{\"type\":\"binpack\",\"field\":\"memory\"}]",
          "[{\"type\":\"spread\",\"field\":\"attribute:ecs.availability-zone\"},"
              + "{\"type\":\"binpack\",\"field\":\"cpu\"}]",
          "[{\"type\":\"random\"}]");

  private record Size(int cpu, int memory) {}

  @Test
  void concurrentRunTasksNeverOverbookNorBreakAConstraint() throws Exception {
    for (long seed = 1; seed <= 4; seed++) {
      check(new SplittableRandom(seed));
    }
  }

  private void check(SplittableRandom random) throws Exception {
    ExecutorService writers = Executors.newFixedThreadPool(2);
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      EcsHarness ecs = new EcsHarness(writers, Duration.ofHours(1));
      Map<String, Size> registered = new HashMap<>();
      Set<String> gold = new HashSet<>();
      int instances = 5 + random.nextInt(20);
      for (int i = 0; i < instances; i++) {
        Size size = new Size(256 * (1 + random.nextInt(16)), 256 * (1 + random.nextInt(32)));
        String tier = random.nextBoolean() ? "gold" : "silver";
        String arn = register(ecs, size, "zone-" + "abc".charAt(random.nextInt(3)), tier);
        registered.put(arn, size);
        if (tier.equals("gold")) {
          gold.add(arn);
        }
      }
      Map<String, Size> families = new HashMap<>();
      for (int f = 0; f < 4; f++) {
        Size size = new Size(64 * (1 + random.nextInt(16)), 64 * (1 + random.nextInt(32)));
        ecs.taskDefinition("f" + f, size.cpu(), size.memory(), null);
        families.put("f" + f, size);
      }
      List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
      for (int call = 0; call < 120; call++) {
        String family = "f" + random.nextInt(4);
        int count = 1 + random.nextInt(10);
        String strategy = STRATEGIES.get(random.nextInt(STRATEGIES.size()));
        String constraints =
            switch (random.nextInt(3)) {
              case 0 -> "[]";
              case 1 -> "[{\"type\":\"distinctInstance\"}]";
              default -> "[{\"type\":\"memberOf\",\"expression\":\"attribute:tier == gold\"}]";
            };
        String group = constraints.contains("distinct") ? "distinct-" + family : "plain-" + family;
        if (constraints.contains("memberOf")) {
          group = "gold-" + family;
        }
        String body =
            """
            {"cluster":"default","taskDefinition":"%s","count":%d,"group":"%s",
             "placementStrategy":%s,"placementConstraints":%s}
            """
                .formatted(family, count, group, strategy, constraints);
        calls.add(CompletableFuture.supplyAsync(() -> ecs.call("RunTask", body), callers));
      }
      Map<String, int[]> used = new HashMap<>();
      Map<String, Set<String>> distinctHosts = new HashMap<>();
      for (CompletableFuture<JsonNode> call : calls) {
        for (JsonNode task : call.get().path("tasks")) {
          String instance = task.path("containerInstanceArn").asText();
          String group = task.path("group").asText();
          String family = group.substring(group.indexOf('-') + 1);
          Size size = families.get(family);
          int[] sum = used.computeIfAbsent(instance, key -> new int[2]);
          sum[0] += size.cpu();
          sum[1] += size.memory();
          if (group.startsWith("gold-")) {
            assertThat(gold).as("memberOf places only on gold instances").contains(instance);
          }
          if (group.startsWith("distinct-")) {
            assertThat(distinctHosts.computeIfAbsent(group, key -> new HashSet<>()).add(instance))
                .as("distinctInstance: one task of %s per instance", group)
                .isTrue();
          }
        }
      }
      assertThat(used).as("some tasks were placed").isNotEmpty();
      for (Map.Entry<String, int[]> entry : used.entrySet()) {
        Size capacity = registered.get(entry.getKey());
        assertThat(entry.getValue()[0]).isLessThanOrEqualTo(capacity.cpu());
        assertThat(entry.getValue()[1]).isLessThanOrEqualTo(capacity.memory());
        JsonNode remaining = ecs.instanceView(entry.getKey()).path("remainingResources");
        assertThat(EcsHarness.resource(remaining, "CPU"))
            .isEqualTo(capacity.cpu() - entry.getValue()[0]);
        assertThat(EcsHarness.resource(remaining, "MEMORY"))
            .isEqualTo(capacity.memory() - entry.getValue()[1]);
      }
    } finally {
      callers.shutdownNow();
      writers.shutdownNow();
    }
  }

  private static String register(EcsHarness ecs, Size size, String zone, String tier) {
    String body =
        """
        {"cluster":"default","totalResources":[
          {"name":"CPU","type":"INTEGER","integerValue":%d},
          {"name":"MEMORY","type":"INTEGER","integerValue":%d},
          {"name":"PORTS","type":"STRINGSET","stringSetValue":["22"]},
          {"name":"PORTS_UDP","type":"STRINGSET","stringSetValue":[]}],
         "attributes":[{"name":"ecs.availability-zone","value":"%s"},
                       {"name":"tier","value":"%s"}%s]}
        """
            .formatted(size.cpu(), size.memory(), zone, tier, EcsHarness.CAPABILITIES);
    String arn =
        ecs.call("RegisterContainerInstance", body)
            .path("containerInstance")
            .path("containerInstanceArn")
            .asText();
    ecs.service.agentFacing().setAgentConnected(arn, true);
    return arn;
  }
}
