package dev.berth.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The DNS answer logic on zones built by hand, through the wire format both ways. */
class DnsResponderTest {
  private static final Name ORIGIN = name("corp.local.");
  private static final Name WEB = name("web.corp.local.");
  private static final SOARecord SOA =
      new SOARecord(
          ORIGIN, DClass.IN, 15, name("ns.example."), name("admin.example."), 1, 2, 3, 4, 86400);

  private final ZoneDirectory zones = new ZoneDirectory();
  private final DnsResponder responder = new DnsResponder(zones);

  @Test
  void answersTheHealthyAddressesAuthoritativelyWithTheirTtl() throws Exception {
    ARecord healthy = a(WEB, "10.0.0.1", 60);
    ARecord sick = a(WEB, "10.0.0.2", 60);
    publish(
        WEB, new RecordSet(Type.A, Routing.MULTIVALUE, List.of(healthy), List.of(healthy, sick)));

    Message answer = ask("web.corp.local.", Type.A);

    assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(answer.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(answer.getSection(Section.ANSWER)).containsExactly(healthy);
    assertThat(answer.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(60);
  }

  @Test
  void answersEveryRecordWhenNoneIsHealthyAsRoute53FailsOpen() throws Exception {
    ARecord first = a(WEB, "10.0.0.1", 60);
    ARecord second = a(WEB, "10.0.0.2", 60);
    publish(WEB, new RecordSet(Type.A, Routing.MULTIVALUE, List.of(), List.of(first, second)));

    assertThat(ask("web.corp.local.", Type.A).getSection(Section.ANSWER))
        .containsExactlyInAnyOrder(first, second);
  }

  @Test
  void multivalueAnswersAtMostEightDifferentRecordsChosenAtRandom() throws Exception {
    List<Record> all = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      all.add(a(WEB, "10.0.0." + i, 10));
    }
    publish(WEB, new RecordSet(Type.A, Routing.MULTIVALUE, all, all));

    Set<Record> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      List<Record> answer = ask("web.corp.local.", Type.A).getSection(Section.ANSWER);
      assertThat(answer).hasSize(8).doesNotHaveDuplicates();
      seen.addAll(answer);
    }
    assertThat(seen).hasSizeGreaterThan(8);
  }

  @Test
  void weightedAnswersOneRecord() throws Exception {
    List<Record> all = List.of(a(WEB, "10.0.0.1", 10), a(WEB, "10.0.0.2", 10));
    publish(WEB, new RecordSet(Type.A, Routing.WEIGHTED, all, all));

    assertThat(ask("web.corp.local.", Type.A).getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void srvAnswersCarryTheTargetAddressesInTheAdditionalSection() throws Exception {
    Name target = name("task1.web.corp.local.");
    SRVRecord srv = new SRVRecord(WEB, DClass.IN, 30, 1, 1, 8080, target);
    ARecord address = a(target, "10.0.0.7", 30);
    DnsZone zone =
        DnsZone.builder(ORIGIN, SOA)
            .add(WEB, new RecordSet(Type.SRV, Routing.MULTIVALUE, List.of(srv), List.of(srv)))
            .add(
                target,
                new RecordSet(Type.A, Routing.MULTIVALUE, List.of(address), List.of(address)))
            .build();
    zones.publish("owner", zone);

    Message answer = ask("web.corp.local.", Type.SRV);

    assertThat(answer.getSection(Section.ANSWER)).containsExactly(srv);
    assertThat(answer.getSection(Section.ADDITIONAL)).containsExactly(address);
  }

  @Test
  void anUnknownNameInTheZoneIsNxdomainWithTheSoa() throws Exception {
    publish(WEB, set(a(WEB, "10.0.0.1", 10)));

    Message answer = ask("nothing.corp.local.", Type.A);

    assertThat(answer.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(answer.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(answer.getSection(Section.ANSWER)).isEmpty();
    assertThat(answer.getSection(Section.AUTHORITY)).containsExactly(SOA);
  }

  @Test
  void aKnownNameWithoutTheTypeIsNodataWithTheSoa() throws Exception {
    publish(WEB, set(a(WEB, "10.0.0.1", 10)));

    Message answer = ask("web.corp.local.", Type.SRV);

    assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer.getSection(Section.ANSWER)).isEmpty();
    assertThat(answer.getSection(Section.AUTHORITY)).containsExactly(SOA);
  }

  @Test
  void namesBetweenARecordAndTheOriginExistWithoutRecords() throws Exception {
    Name deep = name("_web._tcp.corp.local.");
    publish(deep, set(a(deep, "10.0.0.1", 10)));

    Message answer = ask("_tcp.corp.local.", Type.A);

    assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer.getSection(Section.AUTHORITY)).containsExactly(SOA);
  }

  @Test
  void namesMatchInAnyCase() throws Exception {
    ARecord record = a(WEB, "10.0.0.1", 10);
    publish(WEB, set(record));

    assertThat(ask("WEB.Corp.LOCAL.", Type.A).getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void theApexAnswersItsSoa() throws Exception {
    publish(WEB, set(a(WEB, "10.0.0.1", 10)));

    assertThat(ask("corp.local.", Type.SOA).getSection(Section.ANSWER)).containsExactly(SOA);
  }

  @Test
  void namesOutsideEveryZoneAreRefusedWithoutAuthority() throws Exception {
    publish(WEB, set(a(WEB, "10.0.0.1", 10)));

    Message answer = ask("example.com.", Type.A);

    assertThat(answer.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(answer.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(answer.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void otherClassesAndOpcodesAreRefusedOrNotImplemented() throws Exception {
    publish(WEB, set(a(WEB, "10.0.0.1", 10)));

    Message chaos = Message.newQuery(Record.newRecord(WEB, Type.A, DClass.CH));
    assertThat(roundTrip(chaos).getRcode()).isEqualTo(Rcode.REFUSED);
    Message update = Message.newQuery(Record.newRecord(WEB, Type.A, DClass.IN));
    update.getHeader().setOpcode(Opcode.UPDATE);
    assertThat(roundTrip(update).getRcode()).isEqualTo(Rcode.NOTIMP);
  }

  @Test
  void garbageGetsFormerrAndResponsesAreIgnored() throws Exception {
    byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 99};
    Message formErr = new Message(responder.respond(garbage, true));
    assertThat(formErr.getHeader().getID()).isEqualTo(0x1234);
    assertThat(formErr.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(responder.respond(new byte[] {1, 2, 3}, true)).isNull();

    Message response = Message.newQuery(Record.newRecord(WEB, Type.A, DClass.IN));
    response.getHeader().setFlag(Flags.QR);
    assertThat(responder.respond(response.toWire(), true)).isNull();
  }

  @Test
  void classicUdpAnswersAreTruncatedToFiveHundredTwelveBytesAndEdnsAllowsMore() throws Exception {
    List<Record> many = new ArrayList<>();
    Name big = name("a-rather-long-service-name-to-fill-the-packet.corp.local.");
    for (int i = 1; i <= 8; i++) {
      many.add(
          new SRVRecord(
              big, DClass.IN, 10, 1, 1, 80, name("instance-with-a-long-id-" + i + "." + big)));
    }
    publish(big, new RecordSet(Type.SRV, Routing.MULTIVALUE, many, many));
    Message query = Message.newQuery(Record.newRecord(big, Type.SRV, DClass.IN));

    byte[] classic = responder.respond(query.toWire(), true);
    assertThat(classic.length).isLessThanOrEqualTo(512);
    assertThat(new Message(classic).getHeader().getFlag(Flags.TC)).isTrue();

    query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    Message edns = new Message(responder.respond(query.toWire(), true));
    assertThat(edns.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(edns.getSection(Section.ANSWER)).hasSize(8);
    assertThat(edns.getOPT().getPayloadSize()).isEqualTo(DnsResponder.EDNS_PAYLOAD);

    Message tcp = new Message(responder.respond(query.toWire(), false));
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(8);
  }

  @Test
  void theAnswerKeepsTheQueryIdAndRecursionDesired() throws Exception {
    publish(WEB, set(a(WEB, "10.0.0.1", 10)));
    Message query = Message.newQuery(Record.newRecord(WEB, Type.A, DClass.IN));
    query.getHeader().setID(4242);
    query.getHeader().setFlag(Flags.RD);

    Message answer = roundTrip(query);

    assertThat(answer.getHeader().getID()).isEqualTo(4242);
    assertThat(answer.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(answer.getHeader().getFlag(Flags.RA)).isFalse();
    assertThat(answer.getQuestion()).isEqualTo(query.getQuestion());
  }

  private void publish(Name name, RecordSet set) {
    zones.publish("owner", DnsZone.builder(ORIGIN, SOA).add(name, set).build());
  }

  private Message ask(String name, int type) throws Exception {
    return roundTrip(Message.newQuery(Record.newRecord(name(name), type, DClass.IN)));
  }

  private Message roundTrip(Message query) throws Exception {
    return new Message(responder.respond(query.toWire(), true));
  }

  private static RecordSet set(Record record) {
    return new RecordSet(record.getType(), Routing.MULTIVALUE, List.of(record), List.of(record));
  }

  private static ARecord a(Name name, String address, long ttl) throws Exception {
    return new ARecord(name, DClass.IN, ttl, InetAddress.getByName(address));
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
