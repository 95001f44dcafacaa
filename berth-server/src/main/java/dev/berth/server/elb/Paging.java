package dev.berth.server.elb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** ELB's Marker/PageSize paging over a list in a stable order; markers are opaque to clients. */
final class Paging {
  private Paging() {}

  /** Returns the page of items the input's Marker and PageSize select; sets NextMarker if more. */
  static <T> List<T> page(List<T> items, ObjectNode input, ObjectNode output) {
    int from = 0;
    String marker = Json.text(input, "Marker");
    if (marker != null) {
      try {
        from =
            Integer.parseInt(
                new String(Base64.getDecoder().decode(marker), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ElbErrors.validation("Invalid marker '" + marker + "'");
      }
      if (from < 0 || from > items.size()) {
        throw ElbErrors.validation("Invalid marker '" + marker + "'");
      }
    }
    int size = input.has("PageSize") ? input.get("PageSize").asInt() : 400;
    int to = Math.min(items.size(), from + size);
    if (to < items.size()) {
      output.put(
          "NextMarker",
          Base64.getEncoder()
              .encodeToString(Integer.toString(to).getBytes(StandardCharsets.UTF_8)));
    }
    return items.subList(from, to);
  }
}
