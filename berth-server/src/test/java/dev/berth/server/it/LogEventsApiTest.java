package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** PutLogEvents, GetLogEvents and FilterLogEvents through the AWS SDK's client. */
class LogEventsApiTest {
  private Path dir;
  private LogsServer berth;
  private CloudWatchLogsClient logs;
  private long now;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("berth-logs-");
    berth = LogsServer.start(dir);
    logs = berth.logs();
    logs.createLogGroup(r -> r.logGroupName("app"));
    logs.createLogStream(r -> r.logGroupName("app").logStreamName("web"));
    logs.createLogStream(r -> r.logGroupName("app").logStreamName("worker"));
    now = System.currentTimeMillis();
  }

  @AfterEach
  void stop() {
    berth.close();
    TestServer.deleteRecursively(dir);
  }

  @Test
  void getLogEventsPagesForwardFromTheHeadAndBackwardFromTheTailWithAwsTokens() {
    put("web", IntStream.range(0, 25).mapToObj(i -> event(now - 25 + i, "line " + i)).toList());

    GetLogEventsResponse tail =
        logs.getLogEvents(r -> r.logGroupName("app").logStreamName("web").limit(10));
    assertThat(messages(tail.events())).containsExactlyElementsOf(lines(15, 25));
    GetLogEventsResponse earlier =
        logs.getLogEvents(
            r ->
                r.logGroupName("app")
                    .logStreamName("web")
                    .limit(10)
                    .nextToken(tail.nextBackwardToken()));
    assertThat(messages(earlier.events())).containsExactlyElementsOf(lines(5, 15));
    assertThat(tail.nextForwardToken()).startsWith("f/");
    assertThat(tail.nextBackwardToken()).startsWith("b/");

    // The SDK's paginator follows nextForwardToken until the same token comes back.
    List<String> all = new ArrayList<>();
    logs.getLogEventsPaginator(
            r -> r.logGroupName("app").logStreamName("web").startFromHead(true).limit(7))
        .forEach(page -> all.addAll(messages(page.events())));
    assertThat(all).containsExactlyElementsOf(lines(0, 25));

    GetLogEventsResponse end =
        logs.getLogEvents(
            r -> r.logGroupName("app").logStreamName("web").nextToken(tail.nextForwardToken()));
    assertThat(end.events()).isEmpty();
    assertThat(end.nextForwardToken()).isEqualTo(tail.nextForwardToken());
    put("web", List.of(event(now, "later")));
    assertThat(
            messages(
                logs.getLogEvents(
                        r ->
                            r.logGroupName("app")
                                .logStreamName("web")
                                .nextToken(tail.nextForwardToken()))
                    .events()))
        .containsExactly("later");

    // startTime is inclusive, endTime exclusive.
    assertThat(
            messages(
                logs.getLogEvents(
                        r ->
                            r.logGroupName("app")
                                .logStreamName("web")
                                .startFromHead(true)
                                .startTime(now - 20)
                                .endTime(now - 17))
                    .events()))
        .containsExactly("line 5", "line 6", "line 7");
    assertThatThrownBy(() -> logs.getLogEvents(r -> r.logGroupName("app").logStreamName("nope")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("The specified log stream does not exist.");
    assertThatThrownBy(
            () -> logs.getLogEvents(r -> r.logGroupName("app").logStreamName("web").nextToken("x")))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void putLogEventsHoldsToAwsBatchRules() {
    assertThatThrownBy(() -> put("web", List.of(event(now, "b"), event(now - 1, "a"))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("chronological order");
    long dayAndMore = Duration.ofHours(24).toMillis() + 1;
    assertThatThrownBy(() -> put("web", List.of(event(now - dayAndMore, "a"), event(now, "b"))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("24 hours");
    // 1,048,576 bytes counting 26 an event: 4 events of 262,118 bytes fit exactly, of 262,119 do
    // not.
    String big = "x".repeat(262_119);
    assertThatThrownBy(
            () -> put("web", IntStream.range(0, 4).mapToObj(i -> event(now, big)).toList()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("Upload too large: 1048580 bytes exceeds limit of 1048576");
    String fits = "x".repeat(262_118);
    put("web", IntStream.range(0, 4).mapToObj(i -> event(now, fits)).toList());
    assertThatThrownBy(
            () -> put("web", IntStream.range(0, 10_001).mapToObj(i -> event(now, "e")).toList()))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> put("nope", List.of(event(now, "a"))))
        .isInstanceOf(ResourceNotFoundException.class);

    long fifteenDaysAgo = now - Duration.ofDays(15).toMillis();
    long threeHoursAhead = now + Duration.ofHours(3).toMillis();
    logs.createLogStream(r -> r.logGroupName("app").logStreamName("edges"));
    PutLogEventsResponse oldOnes =
        put("edges", List.of(event(fifteenDaysAgo, "too old"), event(fifteenDaysAgo + 1, "old")));
    assertThat(oldOnes.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(2);
    PutLogEventsResponse newOnes =
        put("edges", List.of(event(now, "kept"), event(threeHoursAhead, "too new")));
    assertThat(newOnes.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(1);
    assertThat(newOnes.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isNull();
    assertThat(newOnes.nextSequenceToken()).isNotBlank();
    assertThat(
            messages(
                logs.getLogEvents(
                        r -> r.logGroupName("app").logStreamName("edges").startFromHead(true))
                    .events()))
        .containsExactly("kept");
  }

  @Test
  void filterLogEventsInterleavesStreamsWithStableIdsAndMatchesPatterns() {
    put("web", List.of(event(now - 3, "GET / 200"), event(now - 1, "ERROR timeout talking to db")));
    put("worker", List.of(event(now - 2, "job started"), event(now - 1, "WARN \"slow\" job")));
    put("worker", List.of(event(now, "{\"level\":\"error\",\"latency\":250}")));

    FilterLogEventsResponse all =
        logs.filterLogEvents(r -> r.logGroupName("app").interleaved(true).startTime(now - 2));
    assertThat(all.events())
        .extracting(FilteredLogEvent::message)
        .containsExactly(
            "job started",
            "ERROR timeout talking to db",
            "WARN \"slow\" job",
            "{\"level\":\"error\",\"latency\":250}");
    assertThat(all.events())
        .extracting(FilteredLogEvent::logStreamName)
        .containsExactly("worker", "web", "worker", "worker");
    assertThat(all.nextToken()).isNull();
    FilterLogEventsResponse again =
        logs.filterLogEvents(r -> r.logGroupName("app").startTime(now - 2));
    assertThat(again.events())
        .extracting(FilteredLogEvent::eventId)
        .containsExactlyElementsOf(all.events().stream().map(FilteredLogEvent::eventId).toList())
        .doesNotHaveDuplicates();

    assertThat(filter(r -> r.filterPattern("ERROR")))
        .containsExactly("ERROR timeout talking to db");
    assertThat(filter(r -> r.filterPattern("?ERROR ?WARN")))
        .containsExactly("ERROR timeout talking to db", "WARN \"slow\" job");
    assertThat(filter(r -> r.filterPattern("\"talking to\"")))
        .containsExactly("ERROR timeout talking to db");
    assertThat(filter(r -> r.filterPattern("job -started"))).containsExactly("WARN \"slow\" job");
    assertThat(filter(r -> r.filterPattern("{ $.level = \"error\" && $.latency > 100 }")))
        .containsExactly("{\"level\":\"error\",\"latency\":250}");
    assertThat(filter(r -> r.filterPattern("{ $.latency < 100 }"))).isEmpty();
    assertThat(filter(r -> r.filterPattern("error")))
        .containsExactly("{\"level\":\"error\",\"latency\":250}");
    assertThat(filter(r -> r.logStreamNames("web")))
        .containsExactly("GET / 200", "ERROR timeout talking to db");
    assertThat(filter(r -> r.logStreamNamePrefix("wor"))).hasSize(3);
    assertThatThrownBy(() -> filter(r -> r.logStreamNames("web").logStreamNamePrefix("w")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> filter(r -> r.filterPattern("[ip, user]")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> logs.filterLogEvents(r -> r.logGroupName("nope")))
        .isInstanceOf(ResourceNotFoundException.class);

    List<String> paged = new ArrayList<>();
    logs.filterLogEventsPaginator(r -> r.logGroupName("app").limit(2))
        .events()
        .forEach(event -> paged.add(event.message()));
    assertThat(paged).hasSize(5).startsWith("GET / 200", "job started");
  }

  @Test
  void eventsPutLogEventsAcceptedAreThereAfterARestart() throws Exception {
    put("web", IntStream.range(0, 1000).mapToObj(i -> event(now - 1000 + i, "line " + i)).toList());
    berth.close();
    berth = LogsServer.start(dir);
    logs = berth.logs();
    List<String> all = new ArrayList<>();
    logs.getLogEventsPaginator(r -> r.logGroupName("app").logStreamName("web").startFromHead(true))
        .forEach(page -> all.addAll(messages(page.events())));
    assertThat(all).containsExactlyElementsOf(lines(0, 1000));
    assertThat(
            logs.describeLogGroups(r -> r.logGroupNamePrefix("app"))
                .logGroups()
                .getFirst()
                .storedBytes())
        .isEqualTo(all.stream().mapToLong(String::length).sum());
  }

  private PutLogEventsResponse put(String stream, List<InputLogEvent> events) {
    return logs.putLogEvents(r -> r.logGroupName("app").logStreamName(stream).logEvents(events));
  }

  private List<String> filter(java.util.function.Consumer<FilterLogEventsRequest.Builder> request) {
    return logs.filterLogEvents(r -> request.accept(r.logGroupName("app"))).events().stream()
        .map(FilteredLogEvent::message)
        .toList();
  }

  private static InputLogEvent event(long timestamp, String message) {
    return InputLogEvent.builder().timestamp(timestamp).message(message).build();
  }

  private static List<String> messages(List<OutputLogEvent> events) {
    return events.stream().map(OutputLogEvent::message).toList();
  }

  private static List<String> lines(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "line " + i).toList();
  }
}
