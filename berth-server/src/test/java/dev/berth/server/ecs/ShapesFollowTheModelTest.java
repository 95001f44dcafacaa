package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.model.ServiceModel;
import dev.berth.server.ecs.state.Tag;
import java.io.File;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The request records and the shapes they carry follow ECS's published model: each is named as a
 * shape of the model, each member is one of the shape's members with its type, and the shapes a
 * service keeps and answers back hold every member of the model, so nothing a caller sent is lost.
 */
class ShapesFollowTheModelTest {
  private static final ServiceModel MODEL = EcsService.MODEL;

  @TestFactory
  Stream<DynamicTest> everyRequestMemberIsAModelMemberOfItsType() {
    return records("dev.berth.server.ecs.request").stream()
        .map(type -> DynamicTest.dynamicTest(type.getSimpleName(), () -> conforms(type, false)));
  }

  @TestFactory
  Stream<DynamicTest> everyShapeHoldsEveryMemberOfTheModel() {
    return records("dev.berth.server.ecs.shape").stream()
        .map(type -> DynamicTest.dynamicTest(type.getSimpleName(), () -> conforms(type, true)));
  }

  @Test
  void everyRequestIsTheInputOfAnOperation() {
    List<String> inputs =
        MODEL.operations().values().stream().map(ServiceModel.Operation::inputShape).toList();
    assertThat(records("dev.berth.server.ecs.request"))
        .isNotEmpty()
        .allSatisfy(type -> assertThat(inputs).contains(type.getSimpleName()));
  }

  private static void conforms(Class<?> type, boolean complete) {
    JsonNode shape = MODEL.shape(type.getSimpleName());
    assertThat(shape.path("type").asText()).isEqualTo("structure");
    JsonNode members = shape.path("members");
    List<String> names = new ArrayList<>();
    for (RecordComponent component : type.getRecordComponents()) {
      names.add(component.getName());
      JsonNode member = members.get(component.getName());
      assertThat(member).as("%s.%s in the model", type.getSimpleName(), component).isNotNull();
      assertTypeFits(
          component.getGenericType(),
          member.path("shape").asText(),
          type.getSimpleName() + "." + component.getName());
    }
    if (complete) {
      List<String> modelled = new ArrayList<>();
      members.fieldNames().forEachRemaining(modelled::add);
      assertThat(names)
          .as("members of %s", type.getSimpleName())
          .containsExactlyInAnyOrderElementsOf(modelled);
    }
  }

  private static void assertTypeFits(Type java, String shapeName, String where) {
    JsonNode shape = MODEL.shape(shapeName);
    String kind = shape.path("type").asText();
    switch (kind) {
      case "string" -> assertThat(java).as(where).isEqualTo(String.class);
      case "integer" -> assertThat(java).as(where).isIn(Integer.class, int.class);
      case "long" -> assertThat(java).as(where).isIn(Long.class, long.class);
      case "boolean" -> assertThat(java).as(where).isIn(Boolean.class, boolean.class);
      case "double", "timestamp" -> assertThat(java).as(where).isEqualTo(BigDecimal.class);
      case "list" -> {
        assertThat(java).as(where).isInstanceOf(ParameterizedType.class);
        ParameterizedType list = (ParameterizedType) java;
        assertThat(list.getRawType()).as(where).isEqualTo(List.class);
        assertTypeFits(
            list.getActualTypeArguments()[0],
            shape.path("member").path("shape").asText(),
            where + "[]");
      }
      case "structure" -> {
        if (shape.path("document").asBoolean()) {
          assertThat(java).as(where).isEqualTo(JsonNode.class);
        } else if (java == Tag.class) {
          assertThat(shapeName).as(where).isEqualTo("Tag");
        } else {
          assertThat(((Class<?>) java).getSimpleName()).as(where).isEqualTo(shapeName);
          assertThat(((Class<?>) java).isRecord()).as(where).isTrue();
        }
      }
      default -> throw new AssertionError(where + ": no Java type for model type " + kind);
    }
  }

  /** Returns the records of a package, found among the compiled classes. */
  private static List<Class<?>> records(String packageName) {
    URL url =
        ShapesFollowTheModelTest.class.getClassLoader().getResource(packageName.replace('.', '/'));
    assertThat(url).as(packageName).isNotNull();
    File[] files;
    try {
      files = new File(url.toURI()).listFiles((dir, name) -> name.endsWith(".class"));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<Class<?>> records = new ArrayList<>();
    for (File file : files) {
      String name = file.getName().replace(".class", "");
      if (name.contains("$") || name.equals("package-info")) {
        continue;
      }
      try {
        Class<?> type = Class.forName(packageName + "." + name);
        if (type.isRecord()) {
          records.add(type);
        }
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
    return records;
  }
}
