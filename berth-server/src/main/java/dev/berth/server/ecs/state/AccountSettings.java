package dev.berth.server.ecs.state;

import static java.util.Objects.requireNonNull;

import dev.berth.server.statemachine.CommandResult;
import dev.berth.server.statemachine.DeleteRecord;
import dev.berth.server.statemachine.EntityRecord;
import dev.berth.server.statemachine.StateRecord;
import dev.berth.server.statemachine.StateWriter;
import dev.berth.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The ECS account settings of one region, each principal's by name, and the single writer that puts
 * and deletes them.
 */
public final class AccountSettings {
  private final String region;
  private final StateWriter writer;
  private final ConcurrentSkipListMap<String, AccountSetting> settings =
      new ConcurrentSkipListMap<>();

  AccountSettings(String region, Store store, Executor executor) {
    this.region = requireNonNull(region);
    this.writer = new StateWriter(store, executor, this::replay);
  }

  /** Schedules a command; its future completes with the response once its records are durable. */
  public <T> CompletableFuture<T> submit(Supplier<CommandResult<T>> command) {
    return writer.submit(command);
  }

  /** Returns the setting a principal set explicitly under a name, or null. */
  public AccountSetting get(String principalArn, String name) {
    return settings.get(AccountSetting.keyOf(region, principalArn, name));
  }

  /** Returns the settings a principal set explicitly, ordered by name. */
  public List<AccountSetting> of(String principalArn) {
    String prefix = AccountSetting.keyOf(region, principalArn, "");
    List<AccountSetting> found = new ArrayList<>();
    for (AccountSetting setting : settings.tailMap(prefix).values()) {
      if (!setting.key().startsWith(prefix)) {
        break;
      }
      found.add(setting);
    }
    return found;
  }

  /** Returns the record that stores a setting. */
  public static EntityRecord<AccountSetting> put(AccountSetting setting) {
    return new EntityRecord<>(EcsRecords.ACCOUNT_SETTING, setting.key(), setting);
  }

  /** Returns the record that deletes a setting. */
  public static DeleteRecord delete(AccountSetting setting) {
    return new DeleteRecord(EcsRecords.ACCOUNT_SETTING, setting.key());
  }

  /** Applies an account setting record to memory. */
  void replay(StateRecord record) {
    if (record instanceof EntityRecord<?> entity
        && entity.value() instanceof AccountSetting value) {
      settings.put(value.key(), value);
    } else if (record instanceof DeleteRecord delete
        && delete.kind().equals(EcsRecords.ACCOUNT_SETTING)) {
      settings.remove(delete.key());
    } else {
      throw new IllegalArgumentException("not an account setting record: " + record);
    }
  }
}
