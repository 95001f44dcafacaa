package dev.berth.server.scheduler;

import static java.util.Objects.requireNonNull;

import dev.berth.server.ecs.state.Attribute;
import dev.berth.server.ecs.state.ContainerInstance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * ECS placement: of the instances that take tasks, those with the resources, the required
 * attributes and every constraint satisfied are candidates; the strategies, in order, keep the
 * candidates that score best (binpack: least of the field left; spread: fewest tasks of the group
 * on the instance or on its attribute value) and the remaining ties go to chance. The first
 * strategy uses the index to avoid looking at every instance: binpack walks the instances ordered
 * by what they have left from the demand up (when it is the last strategy, ties go to the least of
 * the other resource left, then the oldest instance, so packing stops at the first that fits),
 * spread on an attribute visits its values from the least loaded and probes the instances of the
 * least loaded from a random position, spread on instanceId alone takes any instance without a task
 * of the group, random probes from a random position.
 */
public final class ChainedPlacement implements TaskPlacement {
  private final RandomGenerator random;

  /** Creates the placement; ties are broken with the random generator given. */
  public ChainedPlacement(RandomGenerator random) {
    this.random = requireNonNull(random);
  }

  @Override
  public Placement place(PlacementRequest request, PlacementIndex index) {
    Call call = new Call(request, index);
    List<String> chosen = new ArrayList<>();
    for (int task = 0; task < request.count(); task++) {
      InstanceSlot slot = call.choose();
      if (slot == null) {
        // Every later task asks for the same: it would be refused for the same reasons.
        return new Placement(chosen, call.refusals());
      }
      chosen.add(slot.arn);
      index.place(slot, request.demand(), request.group());
    }
    return new Placement(chosen, List.of());
  }

  /** The placement of one request's tasks. */
  private final class Call {
    private final PlacementRequest request;
    private final PlacementIndex index;
    private final List<PlacementStrategy> strategies;

    Call(PlacementRequest request, PlacementIndex index) {
      this.request = request;
      this.index = index;
      this.strategies = request.strategies();
    }

    InstanceSlot choose() {
      PlacementStrategy first = strategies.get(0);
      List<PlacementStrategy> rest = strategies.subList(1, strategies.size());
      if (first.binpack()) {
        return pick(leastRemaining(first.field(), !rest.isEmpty()), rest);
      }
      String attribute = first.spreadAttribute();
      if (attribute != null && rest.size() == 1 && rest.get(0).spreadOnInstance()) {
        return leastLoaded(attribute);
      }
      if (first.spreadOnInstance() && rest.isEmpty()) {
        return leastLoaded(PlacementIndex.NO_ATTRIBUTE);
      }
      if (attribute != null) {
        return pick(leastLoadedValues(attribute, !rest.isEmpty()), rest);
      }
      if (first.type().equals("random")) {
        return anyFitting(slot -> true);
      }
      List<InstanceSlot> fitting = new ArrayList<>();
      for (InstanceSlot slot : index.eligible()) {
        if (refusal(slot) == null) {
          fitting.add(slot);
        }
      }
      return pick(fitting, strategies);
    }

    /**
     * Spread on the attribute, then on instanceId: returns a candidate on the attribute values
     * holding the fewest tasks of the group that itself holds the fewest of them, probed from a
     * random position; null if none. The index counts, for each value, how many instances hold each
     * number of the group's tasks, so only the instances of the least loaded tier are probed, for
     * one count at a time from the least.
     */
    private InstanceSlot leastLoaded(String attribute) {
      String group = request.group();
      Map<String, Integer> counts = groupCounts(attribute);
      Map<String, List<InstanceSlot>> byValue = index.byAttribute(attribute);
      List<String> values = byLoad(byValue, counts);
      int from = 0;
      while (from < values.size()) {
        int tierCount = counts.getOrDefault(values.get(from), 0);
        int to = from;
        List<List<InstanceSlot>> tier = new ArrayList<>();
        TreeMap<Integer, Integer> loads = new TreeMap<>();
        int size = 0;
        while (to < values.size() && counts.getOrDefault(values.get(to), 0) == tierCount) {
          String value = values.get(to++);
          List<InstanceSlot> bucket = byValue.get(value);
          tier.add(bucket);
          size += bucket.size();
          int holding = 0;
          for (Map.Entry<Integer, Integer> load : index.loads(attribute, group, value).entrySet()) {
            loads.merge(load.getKey(), load.getValue(), Integer::sum);
            holding += load.getValue();
          }
          if (bucket.size() > holding) {
            loads.merge(0, bucket.size() - holding, Integer::sum);
          }
        }
        for (Map.Entry<Integer, Integer> load : loads.entrySet()) {
          InstanceSlot found = anyHolding(tier, size, load.getKey(), load.getValue());
          if (found != null) {
            return found;
          }
        }
        from = to;
      }
      return null;
    }

    /**
     * Returns a candidate of the tier holding exactly {@code tasks} of the group, probed from a
     * random position; stops once the {@code holders} instances holding that many were seen.
     */
    private InstanceSlot anyHolding(
        List<List<InstanceSlot>> tier, int size, int tasks, int holders) {
      String group = request.group();
      int start = random.nextInt(size);
      int seen = 0;
      for (int i = 0; i < size && seen < holders; i++) {
        int at = (start + i) % size;
        for (List<InstanceSlot> bucket : tier) {
          if (at < bucket.size()) {
            InstanceSlot slot = bucket.get(at);
            if (slot.groupCount(group) == tasks) {
              seen++;
              if (refusal(slot) == null) {
                return slot;
              }
            }
            break;
          }
          at -= bucket.size();
        }
      }
      return null;
    }

    /**
     * Returns the candidates with the least of the field left, walking up from the demand: all of
     * them when strategies follow, else the first (least of the other resource left, then oldest).
     */
    private List<InstanceSlot> leastRemaining(String field, boolean all) {
      boolean cpu = field.equals("cpu");
      int own = cpu ? request.demand().cpu() : request.demand().memory();
      int other = cpu ? request.demand().memory() : request.demand().cpu();
      RemainingOrder order = index.byRemaining(field);
      List<InstanceSlot> ties = new ArrayList<>();
      for (Map.Entry<Integer, TreeSet<InstanceSlot>> group : order.from(own)) {
        for (InstanceSlot slot : order.withOther(group.getValue(), other)) {
          if (refusal(slot) == null) {
            ties.add(slot);
            if (!all) {
              return ties;
            }
          }
        }
        if (!ties.isEmpty()) {
          return ties;
        }
      }
      return ties;
    }

    /**
     * Returns how many tasks of the request's group the instances with each value of the attribute
     * hold (null: instances without it); a map that takes the null key.
     */
    private Map<String, Integer> groupCounts(String attribute) {
      Map<String, Integer> counts = index.groupCountsByValue(attribute, request.group());
      // The index answers an immutable empty map, which takes no null key, when none is counted.
      return counts.isEmpty() ? new HashMap<>() : counts;
    }

    /**
     * Returns the attribute's values from the fewest tasks of the group to the most, then by value.
     */
    private static List<String> byLoad(
        Map<String, List<InstanceSlot>> byValue, Map<String, Integer> counts) {
      List<String> values = new ArrayList<>(byValue.keySet());
      if (values.size() > 1) {
        values.sort(
            Comparator.comparingInt((String value) -> counts.getOrDefault(value, 0))
                .thenComparing(Comparator.nullsLast(Comparator.<String>naturalOrder())));
      }
      return values;
    }

    /**
     * Returns the candidates on the attribute values holding the fewest tasks of the group (all of
     * them when strategies follow; else one, probed from a random position among those values).
     */
    private List<InstanceSlot> leastLoadedValues(String attribute, boolean all) {
      Map<String, Integer> counts = groupCounts(attribute);
      Map<String, List<InstanceSlot>> byValue = index.byAttribute(attribute);
      List<String> values = byLoad(byValue, counts);
      int from = 0;
      while (from < values.size()) {
        int tierCount = counts.getOrDefault(values.get(from), 0);
        int to = from;
        List<List<InstanceSlot>> tier = new ArrayList<>();
        int size = 0;
        while (to < values.size() && counts.getOrDefault(values.get(to), 0) == tierCount) {
          List<InstanceSlot> bucket = byValue.get(values.get(to++));
          tier.add(bucket);
          size += bucket.size();
        }
        List<InstanceSlot> found = all ? allFitting(tier) : anyFitting(tier, size);
        if (!found.isEmpty()) {
          return found;
        }
        from = to;
      }
      return new ArrayList<>();
    }

    private List<InstanceSlot> allFitting(List<List<InstanceSlot>> tier) {
      List<InstanceSlot> fitting = new ArrayList<>();
      for (List<InstanceSlot> bucket : tier) {
        for (InstanceSlot slot : bucket) {
          if (refusal(slot) == null) {
            fitting.add(slot);
          }
        }
      }
      return fitting;
    }

    private List<InstanceSlot> anyFitting(List<List<InstanceSlot>> tier, int size) {
      int start = random.nextInt(size);
      for (int i = 0; i < size; i++) {
        int at = (start + i) % size;
        for (List<InstanceSlot> bucket : tier) {
          if (at < bucket.size()) {
            InstanceSlot slot = bucket.get(at);
            if (refusal(slot) == null) {
              List<InstanceSlot> one = new ArrayList<>(1);
              one.add(slot);
              return one;
            }
            break;
          }
          at -= bucket.size();
        }
      }
      return new ArrayList<>();
    }

    /** Returns a candidate the filter accepts, probing from a random position; null if none. */
    private InstanceSlot anyFitting(Predicate<InstanceSlot> filter) {
      List<InstanceSlot> eligible = index.eligible();
      int size = eligible.size();
      if (size == 0) {
        return null;
      }
      int start = random.nextInt(size);
      for (int i = 0; i < size; i++) {
        InstanceSlot slot = eligible.get((start + i) % size);
        if (filter.test(slot) && refusal(slot) == null) {
          return slot;
        }
      }
      return null;
    }

    /** Returns the candidate the strategies prefer, ties broken at random; null if none. */
    private InstanceSlot pick(List<InstanceSlot> candidates, List<PlacementStrategy> chain) {
      if (candidates.isEmpty()) {
        return null;
      }
      // The index keeps sets in hash order; sorting by age makes a seeded run repeatable.
      candidates.sort(Comparator.comparingInt(slot -> slot.id));
      for (PlacementStrategy strategy : chain) {
        if (candidates.size() == 1 || strategy.type().equals("random")) {
          break;
        }
        long best = Long.MAX_VALUE;
        for (InstanceSlot slot : candidates) {
          best = Math.min(best, score(strategy, slot));
        }
        List<InstanceSlot> kept = new ArrayList<>();
        for (InstanceSlot slot : candidates) {
          if (score(strategy, slot) == best) {
            kept.add(slot);
          }
        }
        candidates = kept;
      }
      return candidates.get(random.nextInt(candidates.size()));
    }

    private long score(PlacementStrategy strategy, InstanceSlot slot) {
      if (strategy.binpack()) {
        return slot.remaining(strategy.field());
      }
      if (strategy.spreadOnInstance()) {
        return slot.groupCount(request.group());
      }
      return index
          .groupCountsByValue(strategy.spreadAttribute(), request.group())
          .getOrDefault(slot.attribute(strategy.spreadAttribute()), 0);
    }

    /** Returns why the instance cannot take the next task, or null if it can. */
    String refusal(InstanceSlot slot) {
      if (!slot.connected) {
        return ResourceFit.AGENT;
      }
      String shortfall =
          ResourceFit.shortfall(
              request.demand(), slot.instance.registeredResources(), slot.reserved);
      if (shortfall != null) {
        return shortfall;
      }
      for (Attribute required : request.requiredAttributes()) {
        if (!slot.hasAttribute(required.name())
            || (required.value() != null
                && !required.value().equals(slot.attribute(required.name())))) {
          return ResourceFit.ATTRIBUTE;
        }
      }
      for (PlacementConstraint constraint : request.constraints()) {
        if (constraint.distinctInstance()) {
          if (slot.groupCount(request.group()) > 0) {
            return PlacementConstraint.DISTINCT_INSTANCE_REASON;
          }
        } else if (!constraint.admits(slot)) {
          return PlacementConstraint.MEMBER_OF_REASON;
        }
      }
      return null;
    }

    /** Returns why each ACTIVE instance was refused, ordered by ARN. */
    List<Placement.Failure> refusals() {
      List<Placement.Failure> failures = new ArrayList<>();
      for (InstanceSlot slot : index.all()) {
        if (ContainerInstance.ACTIVE.equals(slot.instance.status())) {
          String reason = refusal(slot);
          if (reason != null) {
            failures.add(new Placement.Failure(slot.arn, reason));
          }
        }
      }
      failures.sort(Comparator.comparing(Placement.Failure::arn));
      return failures;
    }
  }
}
