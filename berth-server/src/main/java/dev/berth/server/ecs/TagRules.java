package dev.berth.server.ecs;

import dev.berth.server.ecs.state.Tag;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** ECS's rules for resource tags beyond the model's lengths and patterns. */
final class TagRules {
  /** The most tags one ECS resource may carry. */
  static final int MAX_TAGS = 50;

  private TagRules() {}

  /** Checks tags a request adds: no repeated keys and no keys in AWS's reserved namespace. */
  static List<Tag> checkNew(List<Tag> tags) {
    Set<String> keys = new HashSet<>();
    for (Tag tag : tags) {
      if (tag.key().isEmpty()) {
        throw EcsErrors.invalidParameter("A tag needs a key of 1 to 128 characters.");
      }
      if (!keys.add(tag.key())) {
        throw EcsErrors.invalidParameter("Duplicate tag key '" + tag.key() + "'.");
      }
      if (tag.key().regionMatches(true, 0, "aws:", 0, 4)) {
        throw EcsErrors.invalidParameter(
            "Tag keys beginning with 'aws:' are reserved and cannot be set: '" + tag.key() + "'.");
      }
    }
    return tags;
  }

  /** Checks the tags a resource would carry after a change. */
  static List<Tag> checkTotal(List<Tag> tags) {
    if (tags.size() > MAX_TAGS) {
      throw EcsErrors.invalidParameter(
          "A resource can have at most "
              + MAX_TAGS
              + " tags; this change would leave "
              + tags.size()
              + ".");
    }
    return tags;
  }
}
