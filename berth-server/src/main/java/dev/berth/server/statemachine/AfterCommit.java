package dev.berth.server.statemachine;

import java.util.List;

/**
 * The post-commit hook of a {@link StateWriter}: what follows from a batch of records once it is
 * durable and its callers answered: effects beyond the state, such as agent pushes or wake-ups of
 * controllers. (Views that serve the committed state itself, such as the load balancers' data plane
 * and the DNS zones, are brought up to date before the callers hear, by {@link
 * StateWriter.Memory#batchApplied}.)
 *
 * <p>It is called once per settled batch, one batch at a time and in commit order, after the batch
 * has been applied to the committed state and its callers answered, with the batch's records in
 * order: on the writer's thread for a writer without a working copy, else on the task that
 * publishes the writer's batches while its commands go on. It is never called for a failed commit,
 * nor for the records replayed at start-up: whatever an effect should have done before a crash must
 * follow from the state itself once loaded (agents get their whole task set when they connect, the
 * service scheduler compares attachments with committed tasks, the data plane and the zones are
 * rebuilt from the loaded state). It must be cheap (hand slow work to another thread: every later
 * batch waits behind it); a failure is logged by the writer and fails no command.
 */
@FunctionalInterface
public interface AfterCommit {
  /** The hook of a writer whose commits have no effect beyond its state. */
  AfterCommit NONE = records -> {};

  /** Runs the effects of a batch of records the store has made durable. */
  void committed(List<StateRecord> records);
}
