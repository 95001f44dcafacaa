package dev.berth.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import java.math.BigDecimal;

/** The JSON mapper and node helpers shared by the wire protocol and the store. */
public final class Json {
  /**
   * The mapper for AWS JSON bodies and stored records: strict on duplicates, plain decimals. Stored
   * records are Java records; Blackbird reads and writes their members through generated lambdas
   * instead of reflection, which the state writer otherwise spends much of its time in. Buffers
   * come from {@link BufferPool}, which also recycles them on virtual threads.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(JsonFactory.builder().recyclerPool(new BufferPool()).build())
          .addModule(new BlackbirdModule())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
  }

  private Json() {}

  /** Returns a new empty object node. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Returns a new empty array node. */
  public static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** Returns an AWS JSON timestamp: epoch seconds as a number with a millisecond fraction. */
  public static JsonNode timestamp(long epochMillis) {
    return DecimalNode.valueOf(timestampValue(epochMillis));
  }

  /** Returns the number of an AWS JSON timestamp, for a generator to write. */
  public static BigDecimal timestampValue(long epochMillis) {
    return BigDecimal.valueOf(epochMillis, 3);
  }

  /** Returns the text of a member, or null when it is absent or JSON null. */
  public static String text(JsonNode node, String member) {
    JsonNode value = node.get(member);
    return value == null || value.isNull() ? null : value.asText();
  }
}
