package dev.berth.server.ecs.request;

import java.util.List;

/** ECS's {@code DescribeTasksRequest}. */
public record DescribeTasksRequest(String cluster, List<String> tasks, List<String> include) {

  /** Returns true if the request asks for the field given (such as TAGS) to be included. */
  public boolean includes(String field) {
    return include != null && include.contains(field);
  }
}
