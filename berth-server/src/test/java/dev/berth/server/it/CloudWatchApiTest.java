package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * CloudWatch's metric API through the AWS SDK v2 (which speaks AWS Query to it) and AWS JSON 1.0
 * (which the AWS CLI speaks): data put and read back, the statistics' arithmetic, and errors.
 */
class CloudWatchApiTest {
  private static TestServer berth;
  private static CloudWatchClient cloudWatch;
  private static final Instant MINUTE =
      Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(600);

  @BeforeAll
  static void start() {
    berth = TestServer.start();
    cloudWatch =
        CloudWatchClient.builder()
            .endpointOverride(berth.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        berth.server().accessKey().accessKeyId(),
                        berth.server().accessKey().secretAccessKey())))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @AfterAll
  static void stop() {
    cloudWatch.close();
    berth.close();
  }

  private static Dimension dimension(String name, String value) {
    return Dimension.builder().name(name).value(value).build();
  }

  @Test
  void putValuesComeBackAsStatisticsOfEachPeriod() {
    Dimension shop = dimension("Shop", "north");
    cloudWatch.putMetricData(
        r ->
            r.namespace("Stats")
                .metricData(
                    d ->
                        d.metricName("Latency")
                            .dimensions(shop)
                            .timestamp(MINUTE)
                            .value(10.0)
                            .unit(StandardUnit.MILLISECONDS),
                    d ->
                        d.metricName("Latency")
                            .dimensions(shop)
                            .timestamp(MINUTE.plusSeconds(30))
                            .values(20.0, 40.0)
                            .counts(1.0, 2.0)
                            .unit(StandardUnit.MILLISECONDS),
                    d ->
                        d.metricName("Latency")
                            .dimensions(shop)
                            .timestamp(MINUTE.plusSeconds(120))
                            .statisticValues(
                                s -> s.sampleCount(4.0).sum(20.0).minimum(1.0).maximum(9.0))
                            .unit(StandardUnit.MILLISECONDS)));

    GetMetricStatisticsResponse minutes =
        cloudWatch.getMetricStatistics(
            r ->
                r.namespace("Stats")
                    .metricName("Latency")
                    .dimensions(shop)
                    .startTime(MINUTE)
                    .endTime(MINUTE.plusSeconds(300))
                    .period(60)
                    .statistics(
                        Statistic.SAMPLE_COUNT,
                        Statistic.SUM,
                        Statistic.AVERAGE,
                        Statistic.MINIMUM,
                        Statistic.MAXIMUM));

    List<Datapoint> points =
        minutes.datapoints().stream().sorted(Comparator.comparing(Datapoint::timestamp)).toList();
    assertThat(points).hasSize(2);
    Datapoint first = points.get(0);
    assertThat(first.timestamp()).isEqualTo(MINUTE);
    // 10, and 20 once and 40 twice: four samples summing to 110.
    assertThat(first.sampleCount()).isEqualTo(4.0);
    assertThat(first.sum()).isEqualTo(110.0);
    assertThat(first.average()).isEqualTo(27.5);
    assertThat(first.minimum()).isEqualTo(10.0);
    assertThat(first.maximum()).isEqualTo(40.0);
    assertThat(first.unit()).isEqualTo(StandardUnit.MILLISECONDS);
    assertThat(points.get(1).average()).isEqualTo(5.0);

    Datapoint whole =
        cloudWatch
            .getMetricStatistics(
                r ->
                    r.namespace("Stats")
                        .metricName("Latency")
                        .dimensions(shop)
                        .startTime(MINUTE)
                        .endTime(MINUTE.plusSeconds(300))
                        .period(300)
                        .statistics(Statistic.SAMPLE_COUNT, Statistic.MAXIMUM))
            .datapoints()
            .get(0);
    assertThat(whole.sampleCount()).isEqualTo(8.0);
    assertThat(whole.maximum()).isEqualTo(40.0);
    assertThat(whole.average()).isNull();
  }

  @Test
  void getMetricDataAnswersEachQueryInTheOrderAsked() {
    Dimension host = dimension("Host", "a");
    IntStream.range(0, 3)
        .forEach(
            i ->
                cloudWatch.putMetricData(
                    r ->
                        r.namespace("Data")
                            .metricData(
                                d ->
                                    d.metricName("Load")
                                        .dimensions(host)
                                        .timestamp(MINUTE.plusSeconds(60L * i))
                                        .value((double) i))));

    GetMetricDataResponse answer =
        cloudWatch.getMetricData(
            r ->
                r.startTime(MINUTE)
                    .endTime(MINUTE.plusSeconds(180))
                    .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                    .metricDataQueries(
                        q ->
                            q.id("load")
                                .label("load of a")
                                .metricStat(
                                    s ->
                                        s.metric(
                                                m ->
                                                    m.namespace("Data")
                                                        .metricName("Load")
                                                        .dimensions(host))
                                            .period(60)
                                            .stat("Maximum")),
                        q ->
                            q.id("total")
                                .metricStat(
                                    s ->
                                        s.metric(
                                                m ->
                                                    m.namespace("Data")
                                                        .metricName("Load")
                                                        .dimensions(host))
                                            .period(180)
                                            .stat("Sum"))));

    MetricDataResult load = answer.metricDataResults().get(0);
    assertThat(load.id()).isEqualTo("load");
    assertThat(load.label()).isEqualTo("load of a");
    assertThat(load.values()).containsExactly(0.0, 1.0, 2.0);
    assertThat(load.timestamps())
        .containsExactly(MINUTE, MINUTE.plusSeconds(60), MINUTE.plusSeconds(120));
    assertThat(load.statusCodeAsString()).isEqualTo("Complete");
    MetricDataResult total = answer.metricDataResults().get(1);
    assertThat(total.label()).isEqualTo("Load");
    assertThat(total.values()).containsExactly(3.0);
  }

  @Test
  void listMetricsFiltersByNamespaceNameAndDimensionsAndPages() {
    IntStream.range(0, 503).boxed().toList().stream()
        .collect(java.util.stream.Collectors.groupingBy(i -> i / 500))
        .values()
        .forEach(
            batch ->
                cloudWatch.putMetricData(
                    r ->
                        r.namespace("Paged")
                            .metricData(
                                batch.stream()
                                    .map(
                                        i ->
                                            software.amazon.awssdk.services.cloudwatch.model
                                                .MetricDatum.builder()
                                                .metricName("Requests")
                                                .dimensions(dimension("Path", "/p" + i))
                                                .value(1.0)
                                                .build())
                                    .toList())));

    ListMetricsResponse first = cloudWatch.listMetrics(r -> r.namespace("Paged"));
    assertThat(first.metrics()).hasSize(500);
    assertThat(first.nextToken()).isNotNull();
    ListMetricsResponse second =
        cloudWatch.listMetrics(r -> r.namespace("Paged").nextToken(first.nextToken()));
    assertThat(second.metrics()).hasSize(3);
    assertThat(second.nextToken()).isNull();

    ListMetricsResponse one =
        cloudWatch.listMetrics(
            r ->
                r.namespace("Paged")
                    .metricName("Requests")
                    .dimensions(f -> f.name("Path").value("/p7"))
                    .recentlyActive("PT3H"));
    assertThat(one.metrics())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.dimensions()).containsExactly(dimension("Path", "/p7"));
              assertThat(m.namespace()).isEqualTo("Paged");
            });
    assertThat(cloudWatch.listMetrics(r -> r.namespace("Nothing here")).metrics()).isEmpty();
  }

  @Test
  void errorsAreCloudWatchsAndBadInputChangesNothing() {
    assertThatThrownBy(
            () ->
                cloudWatch.putMetricData(
                    r -> r.namespace("AWS/ECS").metricData(d -> d.metricName("CPU").value(1.0))))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("Namespace");
    assertThatThrownBy(
            () ->
                cloudWatch.putMetricData(
                    r ->
                        r.namespace("Bad")
                            .metricData(
                                d -> d.metricName("Ok").value(1.0),
                                d ->
                                    d.metricName("Both")
                                        .value(1.0)
                                        .statisticValues(
                                            s ->
                                                s.sampleCount(1.0)
                                                    .sum(1.0)
                                                    .minimum(1.0)
                                                    .maximum(1.0)))))
        .isInstanceOf(InvalidParameterCombinationException.class);
    assertThat(cloudWatch.listMetrics(r -> r.namespace("Bad")).metrics()).isEmpty();

    assertThatThrownBy(
            () ->
                cloudWatch.getMetricStatistics(
                    r ->
                        r.namespace("Stats")
                            .metricName("Latency")
                            .startTime(MINUTE)
                            .endTime(MINUTE.plusSeconds(60))
                            .period(60)))
        .isInstanceOf(MissingRequiredParameterException.class);
    assertThatThrownBy(
            () ->
                cloudWatch.getMetricStatistics(
                    r ->
                        r.namespace("Stats")
                            .metricName("Latency")
                            .startTime(MINUTE)
                            .endTime(MINUTE.plusSeconds(86_400 * 2))
                            .period(60)
                            .statistics(Statistic.AVERAGE)))
        .isInstanceOf(InvalidParameterCombinationException.class)
        .hasMessageContaining("1440");
    assertThatThrownBy(
            () ->
                cloudWatch.getMetricStatistics(
                    r ->
                        r.namespace("Stats")
                            .metricName("Latency")
                            .startTime(MINUTE)
                            .endTime(MINUTE.plusSeconds(600))
                            .period(90)
                            .statistics(Statistic.AVERAGE)))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("Period");
    assertThatThrownBy(
            () ->
                cloudWatch.getMetricData(
                    r ->
                        r.startTime(MINUTE)
                            .endTime(MINUTE.plusSeconds(60))
                            .metricDataQueries(q -> q.id("m1").expression("SUM(METRICS())"))))
        .isInstanceOf(CloudWatchException.class)
        .satisfies(
            e ->
                assertThat(((CloudWatchException) e).awsErrorDetails().errorCode())
                    .isEqualTo("ValidationError"));
  }

  @Test
  void awsJsonCallsAnswerInJsonWithTheQueryErrorHeader() {
    RawClient raw = new RawClient(berth.endpoint());
    String key = berth.server().accessKey().accessKeyId();
    String secret = berth.server().accessKey().secretAccessKey();
    RawClient.Answer put =
        raw.signed(
            "GraniteServiceVersion20100801.PutMetricData",
            "application/x-amz-json-1.0",
            "{\"Namespace\":\"Json\",\"MetricData\":[{\"MetricName\":\"Hits\",\"Value\":3,"
                + "\"Timestamp\":"
                + MINUTE.getEpochSecond()
                + "}]}",
            key,
            secret,
            "us-east-1",
            "monitoring",
            Clock.systemUTC());
    assertThat(put.status()).isEqualTo(200);

    RawClient.Answer get =
        raw.signed(
            "GraniteServiceVersion20100801.GetMetricStatistics",
            "application/x-amz-json-1.0",
            "{\"Namespace\":\"Json\",\"MetricName\":\"Hits\",\"StartTime\":"
                + MINUTE.getEpochSecond()
                + ",\"EndTime\":"
                + (MINUTE.getEpochSecond() + 60)
                + ",\"Period\":60,\"Statistics\":[\"Sum\"]}",
            key,
            secret,
            "us-east-1",
            "monitoring",
            Clock.systemUTC());
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.json().path("Datapoints").get(0).path("Sum").asDouble()).isEqualTo(3.0);
    assertThat(get.json().path("Datapoints").get(0).path("Timestamp").asLong())
        .isEqualTo(MINUTE.getEpochSecond());

    RawClient.Answer missing =
        raw.signed(
            "GraniteServiceVersion20100801.GetMetricStatistics",
            "application/x-amz-json-1.0",
            "{\"Namespace\":\"Json\"}",
            key,
            secret,
            "us-east-1",
            "monitoring",
            Clock.systemUTC());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.errorType()).isEqualTo("MissingRequiredParameterException");
    assertThat(missing.headers().get("x-amzn-query-error"))
        .containsExactly("MissingParameter;Sender");
  }
}
