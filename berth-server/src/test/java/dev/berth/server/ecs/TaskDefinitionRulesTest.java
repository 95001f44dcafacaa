package dev.berth.server.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.AwsException;
import dev.berth.api.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ECS's RegisterTaskDefinition rules and defaults, as TaskDefinitionRules applies them. */
class TaskDefinitionRulesTest {
  private static final String WEB = "{'name':'web','image':'nginx','memory':128}";

  static Stream<Arguments> refusedRequests() {
    return Stream.of(
        arguments(
            "family with a dot",
            task("'family':'web.app'", WEB),
            "Family contains invalid characters."),
        arguments(
            "family of 256 characters",
            task("'family':'" + "f".repeat(256) + "'", WEB),
            "Family contains invalid characters."),
        arguments("blank family", task("'family':' '", WEB), "Family can not be blank."),
        arguments(
            "Fargate compatibility",
            task("'family':'web','requiresCompatibilities':['EC2','FARGATE']", WEB),
            "Berth runs tasks on EC2 and EXTERNAL container instances only; requiresCompatibilities value 'FARGATE' is not supported."),
        arguments(
            "managed instances compatibility",
            task("'family':'web','requiresCompatibilities':['MANAGED_INSTANCES']", WEB),
            "Berth runs tasks on EC2 and EXTERNAL container instances only; requiresCompatibilities value 'MANAGED_INSTANCES' is not supported."),
        arguments(
            "task cpu below 128 units",
            task("'family':'web','cpu':'64'", WEB),
            "Invalid 'cpu' setting for task."),
        arguments(
            "task cpu above 192 vCPUs",
            task("'family':'web','cpu':'193 vCPU'", WEB),
            "Invalid 'cpu' setting for task."),
        arguments(
            "task cpu that is not a number",
            task("'family':'web','cpu':'lots'", WEB),
            "Invalid 'cpu' setting for task."),
        arguments(
            "task memory in an unknown unit",
            task("'family':'web','memory':'2 TB'", WEB),
            "Invalid 'memory' setting for task."),
        arguments(
            "task memory of zero",
            task("'family':'web','memory':'0'", WEB),
            "Invalid 'memory' setting for task."),
        arguments(
            "no containers",
            "{'family':'web','containerDefinitions':[]}",
            "Container list cannot be empty."),
        arguments("eleven containers", elevenContainers(), "Too many containers."),
        arguments(
            "container without a name",
            task("'family':'web'", "{'image':'nginx','memory':128}"),
            "Container.name should not be null or empty."),
        arguments(
            "container name with a space",
            task("'family':'web'", "{'name':'my web','image':'nginx','memory':128}"),
            "Container.name contains invalid characters."),
        arguments(
            "two containers with one name",
            task("'family':'web'", WEB, WEB),
            "Container names must be unique within a Task Definition."),
        arguments(
            "container without an image",
            task("'family':'web'", "{'name':'web','memory':128}"),
            "Container.image should not be null or empty."),
        arguments(
            "blank image",
            task("'family':'web'", "{'name':'web','image':'  ','memory':128}"),
            "Container.image should not be null or empty."),
        arguments(
            "image with a space",
            task("'family':'web'", "{'name':'web','image':'nginx latest','memory':128}"),
            "Container.image contains invalid characters."),
        arguments(
            "image of 256 characters",
            task("'family':'web'", "{'name':'web','image':'" + "i".repeat(256) + "','memory':128}"),
            "Container.image contains invalid characters."),
        arguments(
            "no memory anywhere",
            task("'family':'web'", "{'name':'web','image':'nginx'}"),
            "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' must be specified."),
        arguments(
            "memory below Docker's 6 MiB",
            task("'family':'web'", "{'name':'web','image':'nginx','memory':4}"),
            "Invalid 'memory' setting for container 'web'. The minimum is 6 MiB."),
        arguments(
            "reservation below Docker's 6 MiB",
            task("'family':'web'", "{'name':'web','image':'nginx','memoryReservation':0}"),
            "Invalid 'memoryReservation' setting for container 'web'. The minimum is 6 MiB."),
        arguments(
            "reservation above the hard limit",
            task(
                "'family':'web'",
                "{'name':'web','image':'nginx','memory':128,'memoryReservation':256}"),
            "Invalid setting for container 'web'. 'memoryReservation' must be less than or equal to 'memory'."),
        arguments(
            "container memory above the task's",
            task("'family':'web','memory':'256'", "{'name':'web','image':'nginx','memory':512}"),
            "The 'memory' setting for container 'web' is greater than for the task."),
        arguments(
            "reservations above the task memory",
            task(
                "'family':'web','memory':'256'",
                "{'name':'web','image':'nginx','memoryReservation':200}",
                "{'name':'log','image':'fluentd','memoryReservation':100}"),
            "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'."),
        arguments(
            "hard limits above the task memory",
            task(
                "'family':'web','memory':'256'",
                "{'name':'web','image':'nginx','memory':200}",
                "{'name':'log','image':'fluentd','memory':100}"),
            "The sum of all container 'memory' values cannot be greater than the value of the task 'memory'."),
        arguments(
            "container cpu above the task's",
            task(
                "'family':'web','cpu':'256'",
                "{'name':'web','image':'nginx','memory':128,'cpu':200}",
                "{'name':'log','image':'fluentd','memory':64,'cpu':100}"),
            "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'."),
        arguments(
            "negative container cpu",
            task("'family':'web'", "{'name':'web','image':'nginx','memory':128,'cpu':-1}"),
            "Invalid 'cpu' setting for container 'web'."),
        arguments(
            "negative stop timeout",
            task("'family':'web'", "{'name':'web','image':'nginx','memory':128,'stopTimeout':-5}"),
            "Invalid 'stopTimeout' setting for container 'web'."),
        arguments(
            "port mapping without a container port",
            task("'family':'web'", web("'portMappings':[{'hostPort':8080}]")),
            "Invalid 'containerPort' setting for container 'web'."),
        arguments(
            "container port 0",
            task("'family':'web'", web("'portMappings':[{'containerPort':0}]")),
            "Invalid 'containerPort' setting for container 'web'."),
        arguments(
            "container port above 65535",
            task("'family':'web'", web("'portMappings':[{'containerPort':70000}]")),
            "Invalid 'containerPort' setting for container 'web'."),
        arguments(
            "host port above 65535",
            task("'family':'web'", web("'portMappings':[{'containerPort':80,'hostPort':65536}]")),
            "Invalid 'hostPort' setting for container 'web'."),
        arguments(
            "backwards container port range",
            task("'family':'web'", web("'portMappings':[{'containerPortRange':'9000-8000'}]")),
            "Invalid 'containerPortRange' setting for container 'web'."),
        arguments(
            "container port range in host mode",
            task(
                "'family':'web','networkMode':'host'",
                web("'portMappings':[{'containerPortRange':'8000-8010'}]")),
            "Invalid 'containerPortRange' setting for container 'web'."),
        arguments(
            "awsvpc host port unlike the container port",
            task(
                "'family':'web','networkMode':'awsvpc'",
                web("'portMappings':[{'containerPort':80,'hostPort':8080}]")),
            "When networkMode=awsvpc, the host ports and container ports in port mappings must match."),
        arguments(
            "host-mode host port unlike the container port",
            task(
                "'family':'web','networkMode':'host'",
                web("'portMappings':[{'containerPort':80,'hostPort':8080}]")),
            "When networkMode=host, the host ports and container ports in port mappings must match."),
        arguments(
            "port mappings with no network",
            task(
                "'family':'web','networkMode':'none'",
                web("'portMappings':[{'containerPort':80}]")),
            "Port mappings are not supported when networkMode=none."),
        arguments(
            "one host port mapped by two containers",
            task(
                "'family':'web'",
                web("'portMappings':[{'containerPort':80,'hostPort':8080}]"),
                "{'name':'api','image':'api','memory':64,'portMappings':[{'containerPort':81,'hostPort':8080,'protocol':'tcp'}]}"),
            "TCP host port '8080' is mapped multiple times in task."),
        arguments(
            "one awsvpc port mapped twice",
            task(
                "'family':'web','networkMode':'awsvpc'",
                web(
                    "'portMappings':[{'containerPort':53,'protocol':'udp'},{'containerPort':53,'protocol':'udp'}]")),
            "UDP host port '53' is mapped multiple times in task."),
        arguments(
            "links in awsvpc mode",
            task(
                "'family':'web','networkMode':'awsvpc'",
                web("'links':['db']"),
                "{'name':'db','image':'postgres','memory':256}"),
            "Links are not supported when networkMode=awsvpc."),
        arguments(
            "link to an unknown container",
            task("'family':'web'", web("'links':['db:database']")),
            "Invalid 'links' setting. Unknown container: 'db'."),
        arguments(
            "links in a cycle",
            task(
                "'family':'web'",
                web("'links':['db']"),
                "{'name':'db','image':'postgres','memory':256,'links':['web']}"),
            "Container links should not have a cycle"),
        arguments(
            "dependency on an unknown container",
            task("'family':'web'", web("'dependsOn':[{'containerName':'db','condition':'START'}]")),
            "Cannot depend on container + 'db' because it does not exist"),
        arguments(
            "dependency on itself",
            task(
                "'family':'web'", web("'dependsOn':[{'containerName':'web','condition':'START'}]")),
            "Container dependencies should not have a cycle"),
        arguments(
            "dependencies in a cycle",
            task(
                "'family':'web'",
                web("'dependsOn':[{'containerName':'db','condition':'START'}]"),
                "{'name':'db','image':'postgres','memory':256,'dependsOn':[{'containerName':'web','condition':'HEALTHY'}]}"),
            "Container dependencies should not have a cycle"),
        arguments(
            "waiting for an essential container to exit",
            task(
                "'family':'web'",
                web("'dependsOn':[{'containerName':'init','condition':'SUCCESS'}]"),
                "{'name':'init','image':'busybox','memory':16}"),
            "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container"),
        arguments(
            "no essential container",
            task("'family':'web'", web("'essential':false")),
            "Task definition doesn't have any essential container."),
        arguments(
            "health check without a command",
            task("'family':'web'", web("'healthCheck':{'command':[]}")),
            "Health check command should not be null or empty for container 'web'"),
        arguments(
            "health check interval of 4 seconds",
            task("'family':'web'", web("'healthCheck':{'command':['CMD','true'],'interval':4}")),
            "Health check interval must be greater than or equal to the minimum allowed value 5 for container 'web'"),
        arguments(
            "health check timeout of 61 seconds",
            task("'family':'web'", web("'healthCheck':{'command':['CMD','true'],'timeout':61}")),
            "Health check timeout must be less than or equal to the maximum allowed value 60 for container 'web'"),
        arguments(
            "health check retries of 11",
            task("'family':'web'", web("'healthCheck':{'command':['CMD','true'],'retries':11}")),
            "Health check retries must be less than or equal to the maximum allowed value 10 for container 'web'"),
        arguments(
            "health check start period of 301 seconds",
            task(
                "'family':'web'",
                web("'healthCheck':{'command':['CMD','true'],'startPeriod':301}")),
            "Health check startPeriod must be less than or equal to the maximum allowed value 300 for container 'web'"),
        arguments(
            "volume without a name",
            task("'family':'web','volumes':[{'host':{}}]", WEB),
            "Volume.name should not be null or empty."),
        arguments(
            "volume name with a slash",
            task("'family':'web','volumes':[{'name':'a/b'}]", WEB),
            "Volume.name contains invalid characters."),
        arguments(
            "two volumes with one name",
            task("'family':'web','volumes':[{'name':'data'},{'name':'data'}]", WEB),
            "Volume names must be unique within a Task Definition."),
        arguments(
            "mount point of an unknown volume",
            task(
                "'family':'web'",
                web("'mountPoints':[{'sourceVolume':'data','containerPath':'/data'}]")),
            "Unknown volume 'data'."),
        arguments(
            "mount point without a volume",
            task(
                "'family':'web','volumes':[{'name':'data'}]",
                web("'mountPoints':[{'containerPath':'/data'}]")),
            "Unknown volume 'null'."),
        arguments(
            "mount point without a path",
            task(
                "'family':'web','volumes':[{'name':'data'}]",
                web("'mountPoints':[{'sourceVolume':'data'}]")),
            "Invalid 'mountPoints' setting for container 'web'. 'containerPath' should not be null or empty."),
        arguments(
            "volumes from an unknown container",
            task("'family':'web'", web("'volumesFrom':[{'sourceContainer':'data'}]")),
            "Invalid 'volumesFrom' setting. Unknown container: 'data'."),
        arguments(
            "ulimit soft limit above its hard limit",
            task(
                "'family':'web'",
                web("'ulimits':[{'name':'nofile','softLimit':2048,'hardLimit':1024}]")),
            "Invalid 'ulimits' setting for container 'web'. The 'softLimit' of ulimit 'nofile' cannot be greater than its 'hardLimit'."),
        arguments(
            "environment variable without a name",
            task("'family':'web'", web("'environment':[{'value':'1'}]")),
            "Invalid 'environment' setting for container 'web'. Environment variable names should not be null or empty."),
        arguments(
            "eleven placement constraints",
            task(
                "'family':'web','placementConstraints':["
                    + String.join(
                        ",",
                        Collections.nCopies(
                            11, "{'type':'memberOf','expression':'attribute:a == b'}"))
                    + "]",
                WEB),
            "Too many placement constraints. A task definition can have at most 10."),
        arguments(
            "memberOf constraint without an expression",
            task("'family':'web','placementConstraints':[{'type':'memberOf'}]", WEB),
            "Invalid placement constraint: a task definition constraint must be of type 'memberOf' with an expression."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedRequests")
  void ecsRefusesWithAClientException(String rule, String request, String message) {
    assertThatThrownBy(() -> TaskDefinitionRules.normalize(json(request)))
        .isInstanceOfSatisfying(
            AwsException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ClientException");
              assertThat(e.status()).isEqualTo(400);
            })
        .hasMessage(message);
  }

  static Stream<Arguments> acceptedRequests() {
    return Stream.of(
        arguments(
            "a bare container gets ECS's container and task defaults",
            task("'family':'web'", WEB),
            "{'family':'web','containerDefinitions':[{'name':'web','image':'nginx','memory':128,'cpu':0,'portMappings':[],'essential':true,'environment':[],'mountPoints':[],'volumesFrom':[]}],'volumes':[],'placementConstraints':[]}"),
        arguments(
            "task cpu and memory are returned in units and MiB, and tags are left out",
            "{'family':'web','cpu':'1 vCPU','memory':'2 GB','tags':[{'key':'team','value':'a'}],'containerDefinitions':[{'name':'web','image':'nginx'}]}",
            "{'family':'web','cpu':'1024','memory':'2048','containerDefinitions':[{'name':'web','image':'nginx','cpu':0,'portMappings':[],'essential':true,'environment':[],'mountPoints':[],'volumesFrom':[]}],'volumes':[],'placementConstraints':[]}"),
        arguments(
            "bridge mappings get tcp and keep a dynamic host port",
            task(
                "'family':'web','networkMode':'bridge'",
                web(
                    "'portMappings':[{'containerPort':80},{'containerPort':53,'hostPort':53,'protocol':'udp'}]")),
            "{'family':'web','networkMode':'bridge','containerDefinitions':[{'name':'web','image':'nginx','memory':128,'portMappings':[{'containerPort':80,'protocol':'tcp'},{'containerPort':53,'hostPort':53,'protocol':'udp'}],'cpu':0,'essential':true,'environment':[],'mountPoints':[],'volumesFrom':[]}],'volumes':[],'placementConstraints':[]}"),
        arguments(
            "awsvpc and host mappings take the container port as host port",
            task(
                "'family':'web','networkMode':'awsvpc'",
                web("'portMappings':[{'containerPort':80},{'containerPort':443,'hostPort':0}]")),
            "{'family':'web','networkMode':'awsvpc','containerDefinitions':[{'name':'web','image':'nginx','memory':128,'portMappings':[{'containerPort':80,'hostPort':80,'protocol':'tcp'},{'containerPort':443,'hostPort':443,'protocol':'tcp'}],'cpu':0,'essential':true,'environment':[],'mountPoints':[],'volumesFrom':[]}],'volumes':[],'placementConstraints':[]}"),
        arguments(
            "a health check gets ECS's interval, timeout and retries",
            task(
                "'family':'web'",
                web(
                    "'healthCheck':{'command':['CMD-SHELL','curl -f localhost'],'startPeriod':10}")),
            "{'family':'web','containerDefinitions':[{'name':'web','image':'nginx','memory':128,'healthCheck':{'command':['CMD-SHELL','curl -f localhost'],'startPeriod':10,'interval':30,'timeout':5,'retries':3},'cpu':0,'portMappings':[],'essential':true,'environment':[],'mountPoints':[],'volumesFrom':[]}],'volumes':[],'placementConstraints':[]}"),
        arguments(
            "everything the user gives is returned as given",
            "{'family':'full','taskRoleArn':'arn:aws:iam::123456789012:role/t','networkMode':'bridge','pidMode':'task','ipcMode':'none','cpu':'512','memory':'1024','requiresCompatibilities':['EC2','EXTERNAL'],'volumes':[{'name':'data','host':{'sourcePath':'/srv'}}],'placementConstraints':[{'type':'memberOf','expression':'attribute:ecs.os-type == linux'}],"
                + "'containerDefinitions':[{'name':'app','image':'app@sha256:"
                + "a".repeat(64)
                + "','cpu':256,'memory':512,'memoryReservation':256,'essential':true,'links':['db:database'],'portMappings':[{'containerPort':8080,'hostPort':80,'protocol':'tcp','name':'http','appProtocol':'http'}],"
                + "'environment':[{'name':'MODE','value':'prod'}],'mountPoints':[{'sourceVolume':'data','containerPath':'/data','readOnly':true}],'volumesFrom':[{'sourceContainer':'db','readOnly':true}],'dependsOn':[{'containerName':'migrate','condition':'SUCCESS'},{'containerName':'db','condition':'HEALTHY'}],"
                + "'ulimits':[{'name':'nofile','softLimit':1024,'hardLimit':4096}],'logConfiguration':{'logDriver':'json-file','options':{'max-size':'10m'}},'dockerLabels':{'team':'a'},'stopTimeout':30,'command':['serve'],'user':'app'},"
                + "{'name':'db','image':'postgres:16','cpu':128,'memory':256,'essential':true,'portMappings':[],'environment':[],'mountPoints':[],'volumesFrom':[],'healthCheck':{'command':['CMD','pg_isready'],'interval':10,'timeout':3,'retries':5,'startPeriod':20}},"
                + "{'name':'migrate','image':'app:1','cpu':0,'memory':64,'essential':false,'portMappings':[],'environment':[],'mountPoints':[],'volumesFrom':[]}]}",
            null),
        arguments(
            "task memory lets containers leave memory out",
            task(
                "'family':'web','memory':'512'",
                "{'name':'web','image':'nginx'}",
                "{'name':'log','image':'fluentd','memoryReservation':64,'essential':false}"),
            "{'family':'web','memory':'512','containerDefinitions':[{'name':'web','image':'nginx','cpu':0,'portMappings':[],'essential':true,'environment':[],'mountPoints':[],'volumesFrom':[]},{'name':'log','image':'fluentd','memoryReservation':64,'essential':false,'cpu':0,'portMappings':[],'environment':[],'mountPoints':[],'volumesFrom':[]}],'volumes':[],'placementConstraints':[]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedRequests")
  void ecsAcceptsAndFillsDefaults(String rule, String request, String expected) throws Exception {
    ObjectNode body = TaskDefinitionRules.normalize(json(request));

    // A null expectation means the request is already complete: ECS returns it as it came.
    ObjectNode want = expected == null ? json(request) : json(expected);
    assertThat(body).isEqualTo(want);
    assertThat(fieldOrder(body)).isEqualTo(fieldOrder(want));
  }

  @Test
  void normalizingLeavesTheRequestUntouched() throws Exception {
    String text =
        task(
            "'family':'web','networkMode':'awsvpc'",
            web("'portMappings':[{'containerPort':80}],'healthCheck':{'command':['CMD','true']}"));
    ObjectNode request = json(text);

    ObjectNode body = TaskDefinitionRules.normalize(request);

    assertThat(request).isEqualTo(json(text));
    assertThat(body).isNotSameAs(request);
  }

  @Test
  void tenContainersAreAllowed() throws Exception {
    List<String> containers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      containers.add("{'name':'c" + i + "','image':'busybox','memory':16}");
    }
    ObjectNode body =
        TaskDefinitionRules.normalize(
            json(task("'family':'ten'", containers.toArray(String[]::new))));

    assertThat(body.get("containerDefinitions")).hasSize(10);
  }

  /** Returns a request with the given task members and container definitions. */
  static String task(String members, String... containers) {
    return "{" + members + ",'containerDefinitions':[" + String.join(",", containers) + "]}";
  }

  /** Returns the container 'web' with 128 MiB and the given extra members. */
  static String web(String members) {
    return "{'name':'web','image':'nginx','memory':128," + members + "}";
  }

  /** Parses JSON written with single quotes, which Java strings carry more readably. */
  static ObjectNode json(String text) throws JsonProcessingException {
    return (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
  }

  private static String elevenContainers() {
    List<String> containers = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      containers.add("{'name':'c" + i + "','image':'busybox','memory':16}");
    }
    return task("'family':'web'", containers.toArray(String[]::new));
  }

  /** Returns every object's member names in order, depth first, so tests can pin the order. */
  private static List<String> fieldOrder(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node.isObject()) {
      for (var member : node.properties()) {
        names.add(member.getKey());
        names.addAll(fieldOrder(member.getValue()));
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        names.addAll(fieldOrder(element));
      }
    }
    return names;
  }
}
