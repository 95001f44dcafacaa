package dev.berth.server.proxy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * An action resolved for the proxy: the target groups to forward to with their weights, or a fixed
 * response. A target group the data plane does not know counts as one without targets.
 */
record ProxyAction(
    TargetGroupRuntime[] groups,
    int[] weights,
    int totalWeight,
    int fixedStatus,
    String fixedContentType,
    String fixedBody) {

  /** Returns true if this action answers a fixed response. */
  boolean isFixed() {
    return fixedStatus != 0;
  }

  /** Returns the target group for one request, chosen by weight; null if there is none. */
  TargetGroupRuntime group() {
    if (groups.length == 1) {
      return groups[0];
    }
    if (totalWeight <= 0) {
      return null;
    }
    int ticket = ThreadLocalRandom.current().nextInt(totalWeight);
    for (int i = 0; i < groups.length; i++) {
      ticket -= weights[i];
      if (ticket < 0) {
        return groups[i];
      }
    }
    return null;
  }
}
