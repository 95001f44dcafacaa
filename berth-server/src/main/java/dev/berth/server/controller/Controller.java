package dev.berth.server.controller;

import java.util.concurrent.CompletableFuture;

/**
 * One controller of the {@link ControlLoop}: each pass reads what is desired and what is (the
 * committed state, and whatever the controller watches outside it), decides the actions that close
 * the gap, and applies them as commands through the writers that own the state, never by changing
 * state itself. The decision is meant to be pure (desired × actual → actions, as {@link
 * ServiceController} is for services), so it can be tested as scenarios without threads; the pass
 * is its executor. The service scheduler is one; auto scaling, alarms, schedules and capacity
 * providers plug in the same way.
 */
public interface Controller {
  /** Returns the controller's name, as logs and thread names show it. */
  String name();

  /**
   * Runs one pass and returns a future completed once the commands it issued are durable (or
   * refused); a failure of one pass is logged by the loop and the next pass tries again.
   */
  CompletableFuture<Void> pass();
}
