package dev.berth.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * InputValidator over the published ECS model: the type checks of AWS's JSON protocol and the
 * model's required members, enums, lengths, ranges and patterns, each answered as AWS answers it.
 */
class InputValidatorTest {
  private static final ServiceModel ECS = ServiceModel.load("ecs/2014-11-13");
  private static final InputValidator VALIDATOR =
      new InputValidator(ECS, "InvalidParameterException");

  /** A container that satisfies every model constraint, for requests that need one. */
  private static final String WEB = "{'name':'web','image':'nginx','memory':128}";

  static Stream<Arguments> wrongJsonTypes() {
    return Stream.of(
        arguments(
            "string for an integer", "ListClustersRequest", "{'maxResults':'5'}", "maxResults"),
        arguments(
            "boolean for an integer", "ListClustersRequest", "{'maxResults':true}", "maxResults"),
        arguments(
            "non-integral number for an integer",
            "ListClustersRequest",
            "{'maxResults':5.5}",
            "maxResults"),
        arguments(
            "integer above the int range",
            "ListClustersRequest",
            "{'maxResults':2147483648}",
            "maxResults"),
        arguments(
            "integer below the int range",
            "ListClustersRequest",
            "{'maxResults':-2147483649}",
            "maxResults"),
        arguments(
            "integer far beyond the long range",
            "ListClustersRequest",
            "{'maxResults':1e400}",
            "maxResults"),
        arguments(
            "tiny fraction for an integer",
            "ListClustersRequest",
            "{'maxResults':1e-400}",
            "maxResults"),
        arguments(
            "integer above the long range for a long",
            "RegisterContainerInstanceRequest",
            "{'totalResources':[{'name':'CPU','type':'INTEGER','longValue':9223372036854775808}]}",
            "totalResources[0].longValue"),
        arguments(
            "number for a string", "CreateClusterRequest", "{'clusterName':5}", "clusterName"),
        arguments(
            "boolean for a string", "CreateClusterRequest", "{'clusterName':true}", "clusterName"),
        arguments(
            "object for a string", "CreateClusterRequest", "{'clusterName':{}}", "clusterName"),
        arguments("list for a string", "CreateClusterRequest", "{'clusterName':[]}", "clusterName"),
        arguments("object for a list", "CreateClusterRequest", "{'tags':{}}", "tags"),
        arguments("string for a list", "DescribeClustersRequest", "{'clusters':'a'}", "clusters"),
        arguments(
            "number as a list element",
            "DescribeClustersRequest",
            "{'clusters':[1]}",
            "clusters[0]"),
        arguments(
            "list for a structure",
            "RegisterTaskDefinitionRequest",
            "{'ephemeralStorage':[]}",
            "ephemeralStorage"),
        arguments(
            "string for a structure",
            "CreateClusterRequest",
            "{'configuration':'x'}",
            "configuration"),
        arguments(
            "string as a list element of structures",
            "CreateClusterRequest",
            "{'tags':['a=b']}",
            "tags[0]"),
        arguments(
            "string for a boolean",
            "RegisterTaskDefinitionRequest",
            task("{'name':'web','image':'nginx','memory':128,'essential':'true'}"),
            "containerDefinitions[0].essential"),
        arguments(
            "number for a boolean", "DeleteServiceRequest", "{'service':'s','force':1}", "force"),
        arguments(
            "list for a map",
            "RegisterTaskDefinitionRequest",
            task("{'name':'web','image':'nginx','memory':128,'dockerLabels':[]}"),
            "containerDefinitions[0].dockerLabels"),
        arguments(
            "number as a map value",
            "RegisterTaskDefinitionRequest",
            task("{'name':'web','image':'nginx','memory':128,'dockerLabels':{'tier':1}}"),
            "containerDefinitions[0].dockerLabels.tier"),
        arguments(
            "string for a timestamp",
            "SubmitTaskStateChangeRequest",
            "{'pullStartedAt':'2024-01-01T00:00:00Z'}",
            "pullStartedAt"),
        arguments(
            "string for a double",
            "CreateDaemonRequest",
            "{'deploymentConfiguration':{'drainPercent':'50'}}",
            "deploymentConfiguration.drainPercent"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongJsonTypes")
  void aMemberOfTheWrongJsonTypeIsASerializationException(
      String description, String shape, String body, String path) {
    assertThatThrownBy(() -> VALIDATOR.validate(shape, json(body)))
        .isInstanceOfSatisfying(
            AwsException.class,
            error -> {
              assertThat(error.code()).isEqualTo("SerializationException");
              assertThat(error.status()).isEqualTo(400);
              assertThat(error.getMessage()).contains("'" + path + "'");
            });
  }

  static Stream<Arguments> missingRequiredMembers() {
    return Stream.of(
        arguments("top-level member", "DeleteClusterRequest", "{}", "cluster"),
        arguments(
            "top-level member sent as null", "DeleteClusterRequest", "{'cluster':null}", "cluster"),
        arguments(
            "the first of several, in model order",
            "PutClusterCapacityProvidersRequest",
            "{}",
            "cluster"),
        arguments(
            "a later one when the first is there",
            "PutClusterCapacityProvidersRequest",
            "{'cluster':'c','defaultCapacityProviderStrategy':[]}",
            "capacityProviders"),
        arguments(
            "member of a list element",
            "CreateClusterRequest",
            "{'defaultCapacityProviderStrategy':[{'weight':1}]}",
            "defaultCapacityProviderStrategy[0].capacityProvider"),
        arguments(
            "member of a nested structure",
            "RegisterTaskDefinitionRequest",
            "{'family':'web','containerDefinitions':[" + WEB + "],'ephemeralStorage':{}}",
            "ephemeralStorage.sizeInGiB"),
        arguments(
            "member of a structure inside a container",
            "RegisterTaskDefinitionRequest",
            task("{'name':'web','image':'nginx','memory':128,'logConfiguration':{}}"),
            "containerDefinitions[0].logConfiguration.logDriver"),
        arguments(
            "member of a list element inside a container",
            "RegisterTaskDefinitionRequest",
            task(
                "{'name':'web','image':'nginx','memory':128,"
                    + "'ulimits':[{'name':'nofile','softLimit':1024}]}"),
            "containerDefinitions[0].ulimits[0].hardLimit"),
        arguments(
            "member three structures deep",
            "RegisterTaskDefinitionRequest",
            task(
                "{'name':'web','image':'nginx','memory':128,"
                    + "'linuxParameters':{'tmpfs':[{'containerPath':'/tmp'}]}}"),
            "containerDefinitions[0].linuxParameters.tmpfs[0].size"),
        arguments(
            "member of a structure in a list in a structure",
            "CreateServiceRequest",
            "{'serviceName':'s','serviceConnectConfiguration':"
                + "{'enabled':true,'services':[{'portName':'http','clientAliases':[{}]}]}}",
            "serviceConnectConfiguration.services[0].clientAliases[0].port"),
        arguments(
            "null list element", "DescribeClustersRequest", "{'clusters':[null]}", "clusters[0]"),
        arguments(
            "null map value",
            "RegisterTaskDefinitionRequest",
            task("{'name':'web','image':'nginx','memory':128,'dockerLabels':{'tier':null}}"),
            "containerDefinitions[0].dockerLabels.tier"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("missingRequiredMembers")
  void aMissingRequiredMemberIsInvalidAtItsPath(
      String description, String shape, String body, String path) {
    assertInvalid(shape, body, path, "Member must not be null");
  }

  static Stream<Arguments> enumViolations() {
    return Stream.of(
        arguments(
            "unknown network mode",
            "RegisterTaskDefinitionRequest",
            "{'family':'web','containerDefinitions':[" + WEB + "],'networkMode':'bogus'}",
            "networkMode",
            List.of("bridge", "host", "awsvpc", "none")),
        arguments(
            "network mode in the wrong case",
            "RegisterTaskDefinitionRequest",
            "{'family':'web','containerDefinitions':[" + WEB + "],'networkMode':'BRIDGE'}",
            "networkMode",
            List.of("bridge", "host", "awsvpc", "none")),
        arguments(
            "unknown port protocol inside a container",
            "RegisterTaskDefinitionRequest",
            task(
                "{'name':'web','image':'nginx','memory':128,"
                    + "'portMappings':[{'containerPort':80,'protocol':'sctp'}]}"),
            "containerDefinitions[0].portMappings[0].protocol",
            List.of("tcp", "udp")),
        arguments(
            "unknown list element",
            "DescribeClustersRequest",
            "{'include':['TAGS','EVERYTHING']}",
            "include[1]",
            List.of("ATTACHMENTS", "CONFIGURATIONS", "SETTINGS", "STATISTICS", "TAGS")),
        arguments(
            "unknown cluster setting",
            "CreateClusterRequest",
            "{'settings':[{'name':'insights','value':'enabled'}]}",
            "settings[0].name",
            List.of("containerInsights")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("enumViolations")
  void aValueOutsideItsEnumIsInvalidAndTheAllowedValuesAreListed(
      String description, String shape, String body, String path, List<String> allowed) {
    assertThatThrownBy(() -> VALIDATOR.validate(shape, json(body)))
        .isInstanceOfSatisfying(
            AwsException.class,
            error -> {
              assertThat(error.code()).isEqualTo("InvalidParameterException");
              assertThat(error.status()).isEqualTo(400);
              assertThat(error.getMessage())
                  .contains("at '" + path + "'", "Member must satisfy enum value set");
              allowed.forEach(value -> assertThat(error.getMessage()).contains(value));
            });
  }

  static Stream<Arguments> limitViolations() {
    return Stream.of(
        arguments(
            "empty tag key",
            "CreateClusterRequest",
            "{'tags':[{'key':'','value':'v'}]}",
            "tags[0].key",
            "Member must have length greater than or equal to 1"),
        arguments(
            "tag key of 129 characters",
            "CreateClusterRequest",
            "{'tags':[{'key':'" + "k".repeat(129) + "','value':'v'}]}",
            "tags[0].key",
            "Member must have length less than or equal to 128"),
        arguments(
            "tag key with a character outside its pattern",
            "CreateClusterRequest",
            "{'tags':[{'key':'team!','value':'v'}]}",
            "tags[0].key",
            "Member must satisfy regular expression pattern"),
        arguments(
            "tag key to remove with a character outside its pattern",
            "UntagResourceRequest",
            "{'resourceArn':'arn','tagKeys':['ok','no#']}",
            "tagKeys[1]",
            "Member must satisfy regular expression pattern"),
        arguments(
            "tag value of 257 characters",
            "TagResourceRequest",
            "{'resourceArn':'arn','tags':[{'key':'k','value':'" + "v".repeat(257) + "'}]}",
            "tags[0].value",
            "Member must have length less than or equal to 256"),
        arguments(
            "51 tags",
            "TagResourceRequest",
            "{'resourceArn':'arn','tags':" + tags(51) + "}",
            "tags",
            "Member must have length less than or equal to 50"),
        arguments(
            "capacity provider weight above 1000",
            "CreateClusterRequest",
            "{'defaultCapacityProviderStrategy':[{'capacityProvider':'cp','weight':1001}]}",
            "defaultCapacityProviderStrategy[0].weight",
            "Member must have value less than or equal to 1000"),
        arguments(
            "negative capacity provider weight",
            "CreateClusterRequest",
            "{'defaultCapacityProviderStrategy':[{'capacityProvider':'cp','weight':-1}]}",
            "defaultCapacityProviderStrategy[0].weight",
            "Member must have value greater than or equal to 0"),
        arguments(
            "capacity provider base above 100000",
            "PutClusterCapacityProvidersRequest",
            "{'cluster':'c','capacityProviders':['cp'],"
                + "'defaultCapacityProviderStrategy':[{'capacityProvider':'cp','base':100001}]}",
            "defaultCapacityProviderStrategy[0].base",
            "Member must have value less than or equal to 100000"),
        arguments(
            "port number above 65535",
            "CreateServiceRequest",
            "{'serviceName':'s','serviceConnectConfiguration':{'enabled':true,'services':"
                + "[{'portName':'http','clientAliases':[{'port':65536}]}]}}",
            "serviceConnectConfiguration.services[0].clientAliases[0].port",
            "Member must have value less than or equal to 65535"),
        arguments(
            "drain percent above 100",
            "CreateDaemonRequest",
            "{'deploymentConfiguration':{'drainPercent':100.5}}",
            "deploymentConfiguration.drainPercent",
            "Member must have value less than or equal to"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("limitViolations")
  void aValueBeyondTheModelsLengthRangeOrPatternIsInvalid(
      String description, String shape, String body, String path, String constraint) {
    assertInvalid(shape, body, path, constraint);
  }

  static Stream<Arguments> valuesAtTheLimits() {
    return Stream.of(
        arguments(
            "tag key of 128 characters",
            "CreateClusterRequest",
            "{'tags':[{'key':'" + "k".repeat(128) + "','value':''}]}"),
        arguments(
            "tag key of 128 letters outside the BMP, counted as code points",
            "CreateClusterRequest",
            "{'tags':[{'key':'" + "\uD835\uDC9C".repeat(128) + "','value':'v'}]}"),
        arguments(
            "tag key with every punctuation its pattern allows",
            "CreateClusterRequest",
            "{'tags':[{'key':'a_b.c:d/e=f+g-h@i j','value':'Zürich 2'}]}"),
        arguments(
            "tag value of 256 characters",
            "TagResourceRequest",
            "{'resourceArn':'arn','tags':[{'key':'k','value':'" + "v".repeat(256) + "'}]}"),
        arguments("50 tags", "TagResourceRequest", "{'resourceArn':'arn','tags':" + tags(50) + "}"),
        arguments(
            "capacity provider weights 0 and 1000, base 100000",
            "PutClusterCapacityProvidersRequest",
            "{'cluster':'c','capacityProviders':['a','b'],'defaultCapacityProviderStrategy':"
                + "[{'capacityProvider':'a','weight':0,'base':100000},"
                + "{'capacityProvider':'b','weight':1000}]}"),
        arguments(
            "port numbers 0 and 65535",
            "CreateServiceRequest",
            "{'serviceName':'s','serviceConnectConfiguration':{'enabled':true,'services':"
                + "[{'portName':'http','clientAliases':[{'port':0},{'port':65535}]}]}}"),
        arguments(
            "integers at the ends of the int range",
            "RegisterTaskDefinitionRequest",
            task(
                "{'name':'web','image':'nginx','memory':2147483647,"
                    + "'ulimits':[{'name':'nofile','softLimit':-2147483648,'hardLimit':0}]}")),
        arguments(
            "longs at the ends of the long range",
            "RegisterContainerInstanceRequest",
            "{'totalResources':[{'name':'A','longValue':9223372036854775807},"
                + "{'name':'B','longValue':-9223372036854775808}]}"),
        arguments("empty list", "DescribeClustersRequest", "{'clusters':[]}"),
        arguments(
            "every value the enum allows",
            "DescribeClustersRequest",
            "{'include':['ATTACHMENTS','CONFIGURATIONS','SETTINGS','STATISTICS','TAGS']}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valuesAtTheLimits")
  void aValueAtTheModelsLimitsIsAccepted(String description, String shape, String body)
      throws Exception {
    ObjectNode input = json(body);
    assertThat(VALIDATOR.validate(shape, input)).isEqualTo(input);
  }

  /** Every operation's input shape: an empty body passes or names its first required member. */
  static Stream<Arguments> everyOperation() {
    return ECS.operations().values().stream()
        .filter(operation -> operation.inputShape() != null)
        .map(operation -> arguments(operation.name(), operation.inputShape()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyOperation")
  void anEmptyRequestNamesTheFirstRequiredMemberOfTheModel(String operation, String inputShape) {
    JsonNode required = ECS.shape(inputShape).path("required");
    if (required.isEmpty()) {
      assertThat(VALIDATOR.validate(inputShape, Json.object())).isEmpty();
    } else {
      assertInvalid(inputShape, "{}", required.get(0).asText(), "Member must not be null");
    }
  }

  @Test
  void everyPatternOfTheModelCompilesInJava() {
    List<String> patterns = new ArrayList<>();
    for (String name : shapeNames()) {
      JsonNode pattern = ECS.shape(name).get("pattern");
      if (pattern != null) {
        patterns.add(pattern.asText());
      }
    }
    assertThat(patterns).isNotEmpty();
    patterns.forEach(
        pattern -> assertThatCode(() -> Pattern.compile(pattern)).doesNotThrowAnyException());
  }

  @Test
  void unknownMembersAreDroppedAtEveryDepth() throws Exception {
    ObjectNode clean =
        VALIDATOR.validate(
            "CreateClusterRequest",
            json(
                "{'clusterName':'c','colour':'blue','tags':[{'key':'k','value':'v','note':1}],"
                    + "'configuration':{'executeCommandConfiguration':{'logging':'NONE','x':[]}}}"));

    assertThat(clean)
        .isEqualTo(
            json(
                "{'clusterName':'c','tags':[{'key':'k','value':'v'}],"
                    + "'configuration':{'executeCommandConfiguration':{'logging':'NONE'}}}"));
  }

  @Test
  void anUnknownMemberOfAWrongLookingTypeIsStillJustDropped() throws Exception {
    ObjectNode clean =
        VALIDATOR.validate("ListClustersRequest", json("{'cluster':{'a':[1,{}]},'x':null}"));

    assertThat(clean).isEmpty();
  }

  @Test
  void jsonNullsCountAsAbsent() throws Exception {
    ObjectNode clean =
        VALIDATOR.validate(
            "CreateClusterRequest",
            json(
                "{'clusterName':null,'tags':[{'key':'k','value':null}],'settings':null,"
                    + "'defaultCapacityProviderStrategy':[{'capacityProvider':'a','base':null}]}"));

    assertThat(clean)
        .isEqualTo(
            json(
                "{'tags':[{'key':'k'}],'defaultCapacityProviderStrategy':[{'capacityProvider':'a'}]}"));
  }

  @Test
  void anAbsentOrNullBodyIsAnEmptyRequest() {
    assertThat(VALIDATOR.validate("ListClustersRequest", null)).isEmpty();
    assertThat(VALIDATOR.validate("ListClustersRequest", NullNode.getInstance())).isEmpty();
    assertThat(VALIDATOR.validate("ListClustersRequest", MissingNode.getInstance())).isEmpty();
  }

  @Test
  void aBodyThatIsNotAnObjectIsASerializationException() {
    for (String body : List.of("[]", "'text'", "5", "true")) {
      assertThatThrownBy(() -> VALIDATOR.validate("ListClustersRequest", jsonNode(body)))
          .isInstanceOfSatisfying(
              AwsException.class,
              error -> assertThat(error.code()).isEqualTo("SerializationException"));
    }
  }

  @Test
  void anIntegralDecimalIsAcceptedForAnIntegerAndNormalized() throws Exception {
    ObjectNode clean =
        VALIDATOR.validate(
            "RegisterTaskDefinitionRequest",
            json(
                task(
                    "{'name':'web','image':'nginx','memory':5.0,'cpu':1E1,'stopTimeout':-3.000}")));

    JsonNode container = clean.get("containerDefinitions").get(0);
    assertThat(container.get("memory")).isEqualTo(IntNode.valueOf(5));
    assertThat(container.get("cpu")).isEqualTo(IntNode.valueOf(10));
    assertThat(container.get("stopTimeout")).isEqualTo(IntNode.valueOf(-3));
    assertThat(clean.toString()).contains("\"memory\":5,", "\"cpu\":10,", "\"stopTimeout\":-3");
  }

  @Test
  void anIntegralDecimalIsAcceptedForALongAndNormalized() throws Exception {
    ObjectNode clean =
        VALIDATOR.validate(
            "RegisterContainerInstanceRequest",
            json("{'totalResources':[{'name':'MEMORY','longValue':4096.00}]}"));

    assertThat(clean.get("totalResources").get(0).get("longValue"))
        .isEqualTo(LongNode.valueOf(4096));
  }

  @Test
  void timestampsAndDoublesKeepTheirFractions() throws Exception {
    ObjectNode clean =
        VALIDATOR.validate(
            "SubmitTaskStateChangeRequest",
            json("{'pullStartedAt':1700000000.125,'pullStoppedAt':1700000001}"));

    assertThat(clean.get("pullStartedAt").decimalValue())
        .isEqualByComparingTo(new BigDecimal("1700000000.125"));
    assertThat(clean.get("pullStoppedAt").decimalValue())
        .isEqualByComparingTo(new BigDecimal("1700000001"));
  }

  @Test
  void aValidFullRequestComesBackAsAnEqualCopy() throws Exception {
    ObjectNode input =
        json(
            "{'family':'web','taskRoleArn':'arn:aws:iam::123456789012:role/web',"
                + "'networkMode':'bridge','cpu':'256','memory':'512','pidMode':'task',"
                + "'requiresCompatibilities':['EC2','EXTERNAL'],"
                + "'placementConstraints':[{'type':'memberOf','expression':'attribute:a == b'}],"
                + "'volumes':[{'name':'data','host':{'sourcePath':'/srv/data'}}],"
                + "'ephemeralStorage':{'sizeInGiB':30},"
                + "'runtimePlatform':{'cpuArchitecture':'X86_64','operatingSystemFamily':'LINUX'},"
                + "'tags':[{'key':'team','value':'platform'},{'key':'cost-centre','value':''}],"
                + "'containerDefinitions':[{'name':'web','image':'nginx:1.27','cpu':128,"
                + "'memory':256,'memoryReservation':128,'essential':true,'privileged':false,"
                + "'command':['nginx','-g','daemon off;'],'entryPoint':['/docker-entrypoint.sh'],"
                + "'environment':[{'name':'MODE','value':'prod'}],"
                + "'portMappings':[{'containerPort':80,'hostPort':8080,'protocol':'tcp',"
                + "'name':'http','appProtocol':'http'}],"
                + "'mountPoints':[{'sourceVolume':'data','containerPath':'/data','readOnly':true}],"
                + "'dockerLabels':{'tier':'front'},"
                + "'ulimits':[{'name':'nofile','softLimit':1024,'hardLimit':4096}],"
                + "'healthCheck':{'command':['CMD','true'],'interval':30,'retries':3},"
                + "'logConfiguration':{'logDriver':'json-file','options':{'max-size':'10m'}},"
                + "'linuxParameters':{'initProcessEnabled':true,"
                + "'tmpfs':[{'containerPath':'/tmp','size':64,'mountOptions':['rw']}]},"
                + "'dependsOn':[{'containerName':'sidecar','condition':'START'}]},"
                + "{'name':'sidecar','image':'busybox','memory':16,'essential':false}]}");
    JsonNode original = input.deepCopy();

    ObjectNode clean = VALIDATOR.validate("RegisterTaskDefinitionRequest", input);

    assertThat(clean).isEqualTo(original).isNotSameAs(input);
    ((ObjectNode) clean.get("containerDefinitions").get(0)).put("name", "changed");
    clean.put("family", "changed");
    assertThat(input).isEqualTo(original);
  }

  private static void assertInvalid(String shape, String body, String path, String constraint) {
    assertThatThrownBy(() -> VALIDATOR.validate(shape, json(body)))
        .isInstanceOfSatisfying(
            AwsException.class,
            error -> {
              assertThat(error.code()).isEqualTo("InvalidParameterException");
              assertThat(error.status()).isEqualTo(400);
              assertThat(error.getMessage())
                  .startsWith("1 validation error detected: Value ")
                  .contains("at '" + path + "' failed to satisfy constraint: " + constraint);
            });
  }

  /** Returns a RegisterTaskDefinition body of family web with the one container given. */
  private static String task(String container) {
    return "{'family':'web','containerDefinitions':[" + container + "]}";
  }

  private static String tags(int count) {
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tags.add("{'key':'k" + i + "','value':'v'}");
    }
    return "[" + String.join(",", tags) + "]";
  }

  /** Returns the name of every shape reachable from an operation's input. */
  private static List<String> shapeNames() {
    List<String> names = new ArrayList<>();
    for (ServiceModel.Operation operation : ECS.operations().values()) {
      if (operation.inputShape() != null) {
        collectShapes(operation.inputShape(), names);
      }
    }
    return names;
  }

  private static void collectShapes(String name, List<String> names) {
    if (names.contains(name)) {
      return;
    }
    names.add(name);
    JsonNode shape = ECS.shape(name);
    for (Map.Entry<String, JsonNode> member : shape.path("members").properties()) {
      collectShapes(member.getValue().path("shape").asText(), names);
    }
    for (String part : List.of("member", "key", "value")) {
      if (shape.has(part)) {
        collectShapes(shape.get(part).path("shape").asText(), names);
      }
    }
  }

  @Test
  void aServicesDocumentedLimitsAreCheckedAsTheModelsOwn() throws JsonProcessingException {
    InputValidator limited =
        new InputValidator(
            ECS,
            "InvalidParameterException",
            new InputValidator.LengthLimits(
                Map.of("StopTaskRequest.reason", 4, "ContainerDefinition.links", 3),
                Map.of("ContainerDefinition.environmentFiles", 1),
                10));

    assertThatThrownBy(
            () -> limited.validate("StopTaskRequest", json("{'task':'t','reason':'12345'}")))
        .isInstanceOfSatisfying(
            AwsException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "1 validation error detected: Value '12345' at 'reason' failed to satisfy"
                            + " constraint: Member must have length less than or equal to 4"));
    assertThatThrownBy(() -> limited.validate("StopTaskRequest", json("{'task':'12345678901'}")))
        .hasMessageEndingWith("Member must have length less than or equal to 10");
    assertThatThrownBy(
            () ->
                limited.validate(
                    "RegisterTaskDefinitionRequest",
                    json("{'family':'f','containerDefinitions':[{'name':'w','links':['abcd']}]}")))
        .hasMessageContaining("at 'containerDefinitions[0].links[0]'")
        .hasMessageEndingWith("less than or equal to 3");
    assertThatThrownBy(
            () ->
                limited.validate(
                    "RegisterTaskDefinitionRequest",
                    json(
                        "{'family':'f','containerDefinitions':[{'name':'w','environmentFiles':"
                            + "[{'value':'a','type':'s3'},{'value':'b','type':'s3'}]}]}")))
        .hasMessageContaining("Value of 2 members at 'containerDefinitions[0].environmentFiles'");
    // The model's own limits stay: a tag key may be 128 characters whatever the ceiling.
    assertThatCode(
            () ->
                limited.validate(
                    "TagResourceRequest",
                    json("{'resourceArn':'a','tags':[{'key':'" + "k".repeat(128) + "'}]}")))
        .doesNotThrowAnyException();
    assertThatCode(() -> limited.validate("StopTaskRequest", json("{'task':'t','reason':'1234'}")))
        .doesNotThrowAnyException();
  }

  /** Parses JSON written with single quotes for readability. */
  private static ObjectNode json(String text) throws JsonProcessingException {
    return (ObjectNode) jsonNode(text);
  }

  private static JsonNode jsonNode(String text) throws JsonProcessingException {
    return Json.MAPPER.readTree(text.replace('\'', '"'));
  }
}
