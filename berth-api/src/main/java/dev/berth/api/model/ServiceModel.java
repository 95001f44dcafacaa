package dev.berth.api.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A published AWS service model (botocore's {@code service-2.json}), loaded from Berth's resources:
 * its metadata, operations and shapes.
 */
public final class ServiceModel {
  private final JsonNode metadata;
  private final JsonNode shapes;
  private final Map<String, Operation> operations;

  /**
   * One operation of the model: its name, its input and output shapes, the element that wraps its
   * output in the Query protocol (or null) and its errors.
   */
  public record Operation(
      String name,
      String inputShape,
      String outputShape,
      String resultWrapper,
      List<String> errors) {}

  private ServiceModel(JsonNode root) {
    this.metadata = requireNonNull(root.get("metadata"), "metadata");
    this.shapes = requireNonNull(root.get("shapes"), "shapes");
    Map<String, Operation> ops = new TreeMap<>();
    root.get("operations")
        .properties()
        .forEach(
            entry -> {
              JsonNode op = entry.getValue();
              List<String> errors = new ArrayList<>();
              op.path("errors").forEach(error -> errors.add(error.path("shape").asText()));
              ops.put(
                  entry.getKey(),
                  new Operation(
                      entry.getKey(),
                      op.path("input").path("shape").asText(null),
                      op.path("output").path("shape").asText(null),
                      op.path("output").path("resultWrapper").asText(null),
                      List.copyOf(errors)));
            });
    this.operations = Collections.unmodifiableMap(ops);
  }

  /** Loads a model from the classpath, e.g. {@code ecs/2014-11-13}. */
  public static ServiceModel load(String name) {
    String path = "/aws-models/" + name + "/service-2.json";
    try (InputStream in = ServiceModel.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no service model at " + path);
      }
      return new ServiceModel(Json.MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read service model " + path, e);
    }
  }

  /** Returns the model's metadata: protocol, API version, XML namespace, signing name. */
  public JsonNode metadata() {
    return metadata;
  }

  /** Returns the API version, e.g. 2015-12-01, which Query requests carry as Version. */
  public String apiVersion() {
    return metadata.path("apiVersion").asText();
  }

  /** Returns the X-Amz-Target prefix of the service, e.g. AmazonEC2ContainerServiceV20141113. */
  public String targetPrefix() {
    return metadata.path("targetPrefix").asText();
  }

  /** Returns the SigV4 signing name of the service, e.g. ecs. */
  public String signingName() {
    return metadata.path("signingName").asText(metadata.path("endpointPrefix").asText());
  }

  /** Returns the operations by name, in name order. */
  public Map<String, Operation> operations() {
    return operations;
  }

  /** Returns the operation with that name, or null. */
  public Operation operation(String name) {
    return operations.get(name);
  }

  /** Returns the shape with that name; fails if the model has none. */
  public JsonNode shape(String name) {
    JsonNode shape = shapes.get(name);
    if (shape == null) {
      throw new IllegalArgumentException("no shape " + name);
    }
    return shape;
  }

  /** Returns the enum values of a string shape, or an empty list. */
  public List<String> enumValues(String shapeName) {
    List<String> values = new ArrayList<>();
    shape(shapeName).path("enum").forEach(value -> values.add(value.asText()));
    return values;
  }
}
