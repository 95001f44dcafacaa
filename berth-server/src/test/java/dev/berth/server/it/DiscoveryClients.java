package dev.berth.server.it;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;

/** Clients of a test server's Cloud Map API (the AWS SDK) and of its DNS server (dnsjava). */
final class DiscoveryClients {
  private DiscoveryClients() {}

  /**
   * Returns a Cloud Map client for us-east-1. DiscoverInstances is modelled on a {@code data-} host
   * prefix, which an endpoint on an IP address cannot take, so injection is turned off.
   */
  static ServiceDiscoveryClient cloudMap(TestServer berth) {
    return ServiceDiscoveryClient.builder()
        .endpointOverride(berth.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    berth.server().accessKey().accessKeyId(),
                    berth.server().accessKey().secretAccessKey())))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(
            c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build();
  }

  /** Sends one query for a name and type to the server over UDP, or TCP if asked. */
  static Message query(TestServer berth, String name, int type, boolean tcp) throws Exception {
    InetSocketAddress address = berth.server().dnsAddress();
    SimpleResolver resolver = new SimpleResolver(address);
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(5));
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  /** Returns the answer section of a message. */
  static List<Record> answers(Message message) {
    return message.getSection(Section.ANSWER);
  }
}
