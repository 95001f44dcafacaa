package dev.berth.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.model.ServiceModel;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Writes the XML answers of the AWS Query protocol: an operation's output structure along its
 * shape, wrapped as {@code <OpResponse><OpResult>...</OpResult><ResponseMetadata>}, and the {@code
 * <ErrorResponse>} of a failure.
 */
final class QueryXml {
  private final ServiceModel model;
  private final String namespace;

  QueryXml(ServiceModel model) {
    this.model = model;
    this.namespace = model.metadata().path("xmlNamespace").asText();
  }

  /** Returns the XML document of an operation's successful answer. */
  String response(ServiceModel.Operation operation, JsonNode output, String requestId) {
    StringBuilder xml = new StringBuilder(512);
    String name = operation.name();
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<")
        .append(name)
        .append("Response xmlns=\"")
        .append(namespace)
        .append("\">");
    String wrapper = operation.resultWrapper();
    if (wrapper != null) {
      xml.append('<').append(wrapper).append('>');
      if (operation.outputShape() != null && output != null) {
        members(model.shape(operation.outputShape()), output, xml);
      }
      xml.append("</").append(wrapper).append('>');
    }
    xml.append("<ResponseMetadata><RequestId>")
        .append(requestId)
        .append("</RequestId></ResponseMetadata></")
        .append(name)
        .append("Response>");
    return xml.toString();
  }

  /** Returns the XML document of an error: Sender for client faults, Receiver for ours. */
  String error(String code, String message, boolean clientFault, String requestId) {
    StringBuilder xml = new StringBuilder(256);
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"")
        .append(namespace)
        .append("\"><Error><Type>")
        .append(clientFault ? "Sender" : "Receiver")
        .append("</Type><Code>");
    escape(code, xml);
    xml.append("</Code><Message>");
    escape(message, xml);
    xml.append("</Message></Error><RequestId>")
        .append(requestId)
        .append("</RequestId></ErrorResponse>");
    return xml.toString();
  }

  private void members(JsonNode shape, JsonNode value, StringBuilder xml) {
    for (Map.Entry<String, JsonNode> member : shape.path("members").properties()) {
      JsonNode child = value.get(member.getKey());
      if (child == null || child.isNull()) {
        continue;
      }
      String element = member.getValue().path("locationName").asText(member.getKey());
      JsonNode memberShape = model.shape(member.getValue().path("shape").asText());
      if ("list".equals(memberShape.path("type").asText())
          && memberShape.path("flattened").asBoolean(false)) {
        list(memberShape, child, element, xml);
        continue;
      }
      xml.append('<').append(element).append('>');
      value(memberShape, child, xml);
      xml.append("</").append(element).append('>');
    }
  }

  private void value(JsonNode shape, JsonNode value, StringBuilder xml) {
    switch (shape.path("type").asText()) {
      case "structure" -> members(shape, value, xml);
      case "list" ->
          list(shape, value, shape.path("member").path("locationName").asText("member"), xml);
      case "map" -> {
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
          xml.append("<entry><key>");
          escape(entry.getKey(), xml);
          xml.append("</key><value>");
          value(model.shape(shape.path("value").path("shape").asText()), entry.getValue(), xml);
          xml.append("</value></entry>");
        }
      }
      case "timestamp" -> {
        BigDecimal seconds = value.decimalValue();
        long millis = seconds.movePointRight(3).longValue();
        xml.append(Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.MILLIS));
      }
      default -> escape(value.asText(), xml);
    }
  }

  private void list(JsonNode shape, JsonNode value, String element, StringBuilder xml) {
    JsonNode memberShape = model.shape(shape.path("member").path("shape").asText());
    for (JsonNode item : value) {
      xml.append('<').append(element).append('>');
      value(memberShape, item, xml);
      xml.append("</").append(element).append('>');
    }
  }

  private static void escape(String text, StringBuilder xml) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> xml.append("&lt;");
        case '>' -> xml.append("&gt;");
        case '&' -> xml.append("&amp;");
        case '"' -> xml.append("&quot;");
        case '\'' -> xml.append("&apos;");
        default -> xml.append(c);
      }
    }
  }
}
