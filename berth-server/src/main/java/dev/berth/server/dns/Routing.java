package dev.berth.server.dns;

/** How a set of records answers a query, as Cloud Map's routing policies tell Route 53. */
public enum Routing {
  /** Up to eight records, chosen at random when there are more. */
  MULTIVALUE,
  /** One record chosen at random. */
  WEIGHTED;

  /** The most records a multivalue answer holds, as in Route 53. */
  public static final int MULTIVALUE_LIMIT = 8;
}
