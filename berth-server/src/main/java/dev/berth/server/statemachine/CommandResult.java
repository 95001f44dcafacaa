package dev.berth.server.statemachine;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a command decided: the records to persist and replay, and the response to answer once they
 * are durable.
 */
public record CommandResult<T>(List<StateRecord> records, T response) {
  /** Creates a result; the record list is copied. */
  public CommandResult {
    records = List.copyOf(records);
  }

  /** Returns a result that changes nothing and answers the response given. */
  public static <T> CommandResult<T> of(T response) {
    return new CommandResult<>(List.of(), response);
  }

  /** Returns a result that persists one record and answers the response given. */
  public static <T> CommandResult<T> of(StateRecord record, T response) {
    return new CommandResult<>(List.of(requireNonNull(record)), response);
  }
}
