package dev.berth.server.proxy;

/** How a target group spreads requests: ELB's {@code load_balancing.algorithm.type}. */
public enum Algorithm {
  /** Each healthy target in turn. */
  ROUND_ROBIN("round_robin"),
  /** The healthy target with the fewest requests in flight. */
  LEAST_OUTSTANDING_REQUESTS("least_outstanding_requests");

  private final String attributeValue;

  Algorithm(String attributeValue) {
    this.attributeValue = attributeValue;
  }

  /** Returns the attribute value that names this algorithm. */
  public String attributeValue() {
    return attributeValue;
  }

  /** Returns the algorithm an attribute value names, or null. */
  public static Algorithm fromAttribute(String value) {
    for (Algorithm algorithm : values()) {
      if (algorithm.attributeValue.equals(value)) {
        return algorithm;
      }
    }
    return null;
  }
}
