package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** CloudWatch Logs' groups, streams, retention and tags through the AWS SDK's client. */
class LogsApiTest {
  private static Path dir;
  private static LogsServer berth;
  private static CloudWatchLogsClient logs;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("berth-logs-");
    berth = LogsServer.start(dir);
    logs = berth.logs();
  }

  @AfterAll
  static void stop() {
    berth.close();
    TestServer.deleteRecursively(dir);
  }

  @Test
  void logGroupsAreCreatedDescribedByPrefixAPageAtATimeAndDeleted() {
    for (String name : List.of("/groups/a", "/groups/b", "/groups/c", "/other/d")) {
      logs.createLogGroup(r -> r.logGroupName(name));
    }
    assertThatThrownBy(() -> logs.createLogGroup(r -> r.logGroupName("/groups/a")))
        .isInstanceOf(ResourceAlreadyExistsException.class)
        .hasMessageContaining("The specified log group already exists");

    var firstPage = logs.describeLogGroups(r -> r.logGroupNamePrefix("/groups/").limit(2));
    assertThat(firstPage.logGroups())
        .extracting(LogGroup::logGroupName)
        .containsExactly("/groups/a", "/groups/b");
    assertThat(firstPage.nextToken()).isNotNull();
    List<String> all = new ArrayList<>();
    logs.describeLogGroupsPaginator(r -> r.logGroupNamePrefix("/groups/").limit(2))
        .logGroups()
        .forEach(group -> all.add(group.logGroupName()));
    assertThat(all).containsExactly("/groups/a", "/groups/b", "/groups/c");

    LogGroup a = firstPage.logGroups().getFirst();
    assertThat(a.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/groups/a:*");
    assertThat(a.logGroupArn())
        .isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/groups/a");
    assertThat(a.creationTime()).isPositive();
    assertThat(a.retentionInDays()).isNull();

    logs.deleteLogGroup(r -> r.logGroupName("/other/d"));
    assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix("/other/")).logGroups()).isEmpty();
    assertThatThrownBy(() -> logs.deleteLogGroup(r -> r.logGroupName("/other/d")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("The specified log group does not exist.");
    assertThatThrownBy(() -> logs.createLogGroup(r -> r.logGroupName("bad name!")))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void logStreamsAreOrderedByNameOrLastEventTimeAndPaged() {
    logs.createLogGroup(r -> r.logGroupName("streams"));
    long now = System.currentTimeMillis();
    for (int i = 0; i < 5; i++) {
      String name = "s" + i;
      logs.createLogStream(r -> r.logGroupName("streams").logStreamName(name));
      // s0 has the newest event, s4 the oldest.
      long timestamp = now - i * 1000L;
      logs.putLogEvents(
          r ->
              r.logGroupName("streams")
                  .logStreamName(name)
                  .logEvents(InputLogEvent.builder().timestamp(timestamp).message("m").build()));
    }
    assertThatThrownBy(
            () -> logs.createLogStream(r -> r.logGroupName("streams").logStreamName("s0")))
        .isInstanceOf(ResourceAlreadyExistsException.class)
        .hasMessageContaining("The specified log stream already exists");
    assertThatThrownBy(() -> logs.createLogStream(r -> r.logGroupName("nope").logStreamName("s")))
        .isInstanceOf(ResourceNotFoundException.class);

    List<String> byName = new ArrayList<>();
    logs.describeLogStreamsPaginator(r -> r.logGroupName("streams").limit(2))
        .logStreams()
        .forEach(stream -> byName.add(stream.logStreamName()));
    assertThat(byName).containsExactly("s0", "s1", "s2", "s3", "s4");
    assertThat(
            logs.describeLogStreams(
                    r ->
                        r.logGroupName("streams").orderBy(OrderBy.LAST_EVENT_TIME).descending(true))
                .logStreams())
        .extracting(LogStream::logStreamName)
        .containsExactly("s0", "s1", "s2", "s3", "s4");
    assertThat(
            logs.describeLogStreams(r -> r.logGroupName("streams").orderBy(OrderBy.LAST_EVENT_TIME))
                .logStreams())
        .extracting(LogStream::logStreamName)
        .containsExactly("s4", "s3", "s2", "s1", "s0");
    LogStream s2 =
        logs.describeLogStreams(r -> r.logGroupName("streams").logStreamNamePrefix("s2"))
            .logStreams()
            .getFirst();
    assertThat(s2.lastEventTimestamp()).isEqualTo(now - 2000);
    assertThat(s2.firstEventTimestamp()).isEqualTo(now - 2000);
    assertThat(s2.arn())
        .isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:streams:log-stream:s2");
    assertThatThrownBy(
            () ->
                logs.describeLogStreams(
                    r ->
                        r.logGroupName("streams")
                            .orderBy(OrderBy.LAST_EVENT_TIME)
                            .logStreamNamePrefix("s")))
        .isInstanceOf(InvalidParameterException.class);

    logs.deleteLogStream(r -> r.logGroupName("streams").logStreamName("s4"));
    assertThatThrownBy(
            () -> logs.deleteLogStream(r -> r.logGroupName("streams").logStreamName("s4")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("The specified log stream does not exist.");
    assertThat(logs.describeLogStreams(r -> r.logGroupName("streams")).logStreams()).hasSize(4);
  }

  @Test
  void retentionPoliciesAreSetCheckedAndRemoved() {
    logs.createLogGroup(r -> r.logGroupName("retained"));
    logs.putRetentionPolicy(r -> r.logGroupName("retained").retentionInDays(7));
    assertThat(group("retained").retentionInDays()).isEqualTo(7);
    assertThatThrownBy(
            () -> logs.putRetentionPolicy(r -> r.logGroupName("retained").retentionInDays(2)))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("retentionInDays");
    assertThatThrownBy(
            () -> logs.putRetentionPolicy(r -> r.logGroupName("none").retentionInDays(7)))
        .isInstanceOf(ResourceNotFoundException.class);
    logs.deleteRetentionPolicy(r -> r.logGroupName("retained"));
    assertThat(group("retained").retentionInDays()).isNull();
  }

  @Test
  void retentionRemovesEventsOlderThanItsPeriodAndPutLogEventsRejectsThemAsExpired() {
    logs.createLogGroup(r -> r.logGroupName("expiring"));
    logs.createLogStream(r -> r.logGroupName("expiring").logStreamName("s"));
    long now = System.currentTimeMillis();
    long threeDaysAgo = now - Duration.ofDays(3).toMillis();
    logs.putLogEvents(
        r ->
            r.logGroupName("expiring")
                .logStreamName("s")
                .logEvents(
                    InputLogEvent.builder().timestamp(threeDaysAgo).message("old").build(),
                    InputLogEvent.builder()
                        .timestamp(threeDaysAgo + 1)
                        .message("old too")
                        .build()));
    logs.putLogEvents(
        r ->
            r.logGroupName("expiring")
                .logStreamName("s")
                .logEvents(InputLogEvent.builder().timestamp(now).message("new").build()));
    logs.putRetentionPolicy(r -> r.logGroupName("expiring").retentionInDays(1));

    // The server sweeps once a minute by itself; the test does not wait for it.
    berth.server().logs().sweepRetention();
    assertThat(messages("expiring", "s")).containsExactly("new");
    assertThat(group("expiring").storedBytes()).isEqualTo(3);

    PutLogEventsResponse expired =
        logs.putLogEvents(
            r ->
                r.logGroupName("expiring")
                    .logStreamName("s")
                    .logEvents(
                        InputLogEvent.builder().timestamp(threeDaysAgo).message("late").build(),
                        InputLogEvent.builder()
                            .timestamp(threeDaysAgo + 1)
                            .message("late")
                            .build()));
    assertThat(expired.rejectedLogEventsInfo().expiredLogEventEndIndex()).isEqualTo(2);
    assertThat(expired.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isNull();
    assertThat(messages("expiring", "s")).containsExactly("new");
  }

  @Test
  void tagsAreSetByArnOrNameListedAndRemoved() {
    logs.createLogGroup(r -> r.logGroupName("tagged").tags(java.util.Map.of("team", "a")));
    String arn = group("tagged").logGroupArn();
    logs.tagResource(r -> r.resourceArn(arn).tags(java.util.Map.of("env", "dev")));
    assertThat(logs.listTagsForResource(r -> r.resourceArn(arn)).tags())
        .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("team", "a", "env", "dev"));
    logs.untagResource(r -> r.resourceArn(arn).tagKeys("team"));
    assertThat(logs.listTagsLogGroup(r -> r.logGroupName("tagged")).tags())
        .containsExactlyEntriesOf(java.util.Map.of("env", "dev"));
    logs.tagLogGroup(r -> r.logGroupName("tagged").tags(java.util.Map.of("x", "y")));
    assertThat(logs.listTagsForResource(r -> r.resourceArn(arn)).tags()).containsKey("x");
    assertThatThrownBy(
            () ->
                logs.tagResource(
                    r ->
                        r.resourceArn(arn)
                            .tags(
                                IntStream.range(0, 50)
                                    .boxed()
                                    .collect(
                                        java.util.stream.Collectors.toMap(
                                            i -> "k" + i, i -> "v")))))
        .isInstanceOf(CloudWatchLogsException.class)
        .extracting(e -> ((CloudWatchLogsException) e).awsErrorDetails().errorCode())
        .isEqualTo("TooManyTagsException");
    assertThatThrownBy(
            () ->
                logs.listTagsForResource(
                    r -> r.resourceArn("arn:aws:logs:us-east-1:000000000000:log-group:nope")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  private static LogGroup group(String name) {
    return logs.describeLogGroups(r -> r.logGroupNamePrefix(name)).logGroups().stream()
        .filter(group -> group.logGroupName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> messages(String group, String stream) {
    return logs
        .getLogEvents(r -> r.logGroupName(group).logStreamName(stream).startFromHead(true))
        .events()
        .stream()
        .map(OutputLogEvent::message)
        .toList();
  }
}
