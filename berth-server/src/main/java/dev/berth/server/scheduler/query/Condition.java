package dev.berth.server.scheduler.query;

/** A compiled cluster query, or part of one: a test of one instance that allocates nothing. */
interface Condition {
  /** Returns true if the instance satisfies the condition. */
  boolean test(InstanceView instance);

  /** Both or all of the parts hold. */
  record And(Condition[] parts) implements Condition {
    @Override
    public boolean test(InstanceView instance) {
      for (Condition part : parts) {
        if (!part.test(instance)) {
          return false;
        }
      }
      return true;
    }
  }

  /** At least one of the parts holds. */
  record Or(Condition[] parts) implements Condition {
    @Override
    public boolean test(InstanceView instance) {
      for (Condition part : parts) {
        if (part.test(instance)) {
          return true;
        }
      }
      return false;
    }
  }

  /** The part does not hold. */
  record Not(Condition part) implements Condition {
    @Override
    public boolean test(InstanceView instance) {
      return !part.test(instance);
    }
  }
}
