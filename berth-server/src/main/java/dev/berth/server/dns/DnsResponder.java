package dev.berth.server.dns;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers DNS queries from the zones of a {@link ZoneDirectory}: authoritatively (AA) for names in
 * a zone, with the SOA in the authority section of NXDOMAIN and NODATA answers, and REFUSED for
 * every name outside them, since Berth is no recursive resolver.
 */
public final class DnsResponder {
  /** The UDP payload size Berth advertises with EDNS, the size DNS flag day 2020 recommends. */
  public static final int EDNS_PAYLOAD = 1232;

  /** The largest answer without EDNS over UDP. */
  public static final int CLASSIC_UDP_PAYLOAD = 512;

  /** The largest message over TCP. */
  public static final int TCP_PAYLOAD = 65535;

  private static final int HEADER_LENGTH = 12;

  private final ZoneDirectory zones;

  /** Creates a responder over the zones given. */
  public DnsResponder(ZoneDirectory zones) {
    this.zones = requireNonNull(zones);
  }

  /**
   * Returns the wire answer to a wire query, or null when nothing should be sent back (a response,
   * or bytes too short to carry a header); over UDP the answer is truncated (TC) to fit what the
   * client can receive, over TCP to 64 KiB.
   */
  public byte[] respond(byte[] query, boolean udp) {
    Message request;
    try {
      request = new Message(query);
    } catch (IOException e) {
      return formatError(query);
    }
    Header header = request.getHeader();
    if (header.getFlag(Flags.QR)) {
      return null;
    }
    OPTRecord opt = request.getOPT();
    int limit =
        !udp
            ? TCP_PAYLOAD
            : opt == null
                ? CLASSIC_UDP_PAYLOAD
                : Math.min(EDNS_PAYLOAD, Math.max(CLASSIC_UDP_PAYLOAD, opt.getPayloadSize()));
    return answer(request).toWire(limit);
  }

  /** Returns the answer to a parsed query. */
  Message answer(Message request) {
    Header header = request.getHeader();
    Message response = new Message(header.getID());
    Header out = response.getHeader();
    out.setFlag(Flags.QR);
    out.setOpcode(header.getOpcode());
    if (header.getFlag(Flags.RD)) {
      out.setFlag(Flags.RD);
    }
    if (request.getOPT() != null) {
      response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
    }
    Record question = request.getQuestion();
    if (header.getOpcode() != Opcode.QUERY) {
      out.setRcode(Rcode.NOTIMP);
      return response;
    }
    if (question == null || header.getCount(Section.QUESTION) != 1) {
      out.setRcode(Rcode.FORMERR);
      return response;
    }
    response.addRecord(question, Section.QUESTION);
    int dclass = question.getDClass();
    DnsZone zone = zones.find(question.getName());
    if (zone == null || (dclass != DClass.IN && dclass != DClass.ANY)) {
      out.setRcode(Rcode.REFUSED);
      return response;
    }
    out.setFlag(Flags.AA);
    Name name = question.getName();
    Map<Integer, RecordSet> node = zone.node(name);
    if (node == null) {
      out.setRcode(Rcode.NXDOMAIN);
      response.addRecord(zone.soa(), Section.AUTHORITY);
      return response;
    }
    List<Record> answers = new ArrayList<>();
    int type = question.getType();
    if (type == Type.ANY) {
      node.values().forEach(set -> answers.addAll(set.answer()));
    } else if (type == Type.SOA && name.equals(zone.origin())) {
      answers.add(zone.soa());
    } else {
      RecordSet set = node.get(type);
      if (set == null && type != Type.CNAME) {
        set = node.get(Type.CNAME);
      }
      if (set != null) {
        answers.addAll(set.answer());
      }
    }
    if (answers.isEmpty()) {
      response.addRecord(zone.soa(), Section.AUTHORITY);
      return response;
    }
    for (Record record : answers) {
      response.addRecord(record, Section.ANSWER);
    }
    addTargetAddresses(zone, answers, response);
    return response;
  }

  private static void addTargetAddresses(DnsZone zone, List<Record> answers, Message response) {
    // SRV targets are instance names in the same zone: give their addresses to save a round trip.
    for (Record record : answers) {
      if (record instanceof SRVRecord srv) {
        Map<Integer, RecordSet> target = zone.node(srv.getTarget());
        if (target == null) {
          continue;
        }
        for (int type : new int[] {Type.A, Type.AAAA}) {
          RecordSet set = target.get(type);
          if (set != null) {
            set.all().forEach(address -> response.addRecord(address, Section.ADDITIONAL));
          }
        }
      }
    }
  }

  private static byte[] formatError(byte[] query) {
    if (query.length < HEADER_LENGTH || (query[2] & 0x80) != 0) {
      return null;
    }
    byte[] answer = new byte[HEADER_LENGTH];
    answer[0] = query[0];
    answer[1] = query[1];
    // QR set, opcode and RD copied; RCODE FORMERR; no sections.
    answer[2] = (byte) (0x80 | (query[2] & 0x79));
    answer[3] = (byte) Rcode.FORMERR;
    return answer;
  }
}
