package dev.berth.server.statemachine;

import dev.berth.store.Mutation;

/**
 * A change to Berth's state, as a command yields it: the store persists it as a row and replay
 * applies it to memory, both at run time and when the state is rebuilt at start-up.
 */
public interface StateRecord {
  /** Returns the store mutation that persists this record. */
  Mutation toMutation();
}
