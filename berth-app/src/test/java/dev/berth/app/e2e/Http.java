package dev.berth.app.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Task;

/** Reaches containers the way a user does: through the host port a task's binding names. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Http() {}

  /** Returns a port mapping of the container port to a host port the agent picks. */
  static PortMapping dynamicHostPort(int containerPort) {
    return PortMapping.builder().containerPort(containerPort).hostPort(0).build();
  }

  /** Returns the host port DescribeTasks names for a container's port. */
  static int hostPort(Task task, String containerName, int containerPort) {
    for (Container container : task.containers()) {
      if (container.name().equals(containerName)) {
        for (NetworkBinding binding : container.networkBindings()) {
          if (binding.containerPort() == containerPort) {
            return binding.hostPort();
          }
        }
      }
    }
    throw new AssertionError(
        "no binding of " + containerName + ":" + containerPort + " in " + task.containers());
  }

  /** Returns the answer to a GET of http://127.0.0.1:PORT/PATH, whatever its status. */
  static HttpResponse<String> send(int port, String path) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Returns the body of a GET of http://127.0.0.1:PORT/PATH, failing unless the answer is 200. */
  static String get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = send(port, path);
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode());
    }
    return response.body();
  }

  /** Waits until a GET answers 200 (the server in the container may still be starting). */
  static String awaitGet(int port, String path) {
    return await("GET 127.0.0.1:" + port + path)
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> get(port, path), body -> true);
  }
}
