package dev.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Signed requests from the published AWS SigV4 test suite (as kept in awslabs/aws-c-auth, the
 * "normalized" variants that non-S3 services use) verify: they pin canonicalization to what AWS
 * specifies, independently of any one SDK.
 */
class SigV4TestSuiteVectorsTest {
  private static final String AUTHORIZATION =
      "Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
          + " SignedHeaders=%s, Signature=%s\n";
  private static final String HOST = "Host:example.amazonaws.com\n";
  private static final String DATE = "X-Amz-Date:20150830T123600Z\n";
  private static final String PRESIGNED =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256"
          + "&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request"
          + "&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600"
          + "&X-Amz-Signature=";

  private final SigV4Verifier verifier =
      new SigV4Verifier(
          id -> id.equals("AKIDEXAMPLE") ? "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" : null,
          Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC));

  static Stream<Arguments> vectors() {
    return Stream.of(
        signed(
            "get-vanilla",
            "GET / HTTP/1.1\n",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        signed(
            "get-vanilla-query-order-key-case",
            "GET /?Param2=value2&Param1=value1 HTTP/1.1\n",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        signed(
            "get-vanilla-query-order-encoded",
            "GET /?Param-3=Value3&Param=Value2&%E1%88%B4=Value1 HTTP/1.1\n",
            "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"),
        signed(
            "get-vanilla-query-unreserved",
            "GET /?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\n",
            "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        signed(
            "get-vanilla-utf8-query",
            "GET /?ሴ=bar HTTP/1.1\n",
            "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        signed(
            "get-vanilla-empty-query-key",
            "GET /?Param1=value1 HTTP/1.1\n",
            "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
        signed(
            "get-utf8",
            "GET /ሴ HTTP/1.1\n",
            "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        signed(
            "get-unreserved",
            "GET /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\n",
            "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        signed(
            "get-space-normalized",
            "GET /example space/ HTTP/1.1\n",
            "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        signed(
            "get-slashes-normalized",
            "GET //example// HTTP/1.1\n",
            "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"),
        signed(
            "get-slash-dot-slash-normalized",
            "GET /./ HTTP/1.1\n",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        signed(
            "get-relative-relative-normalized",
            "GET /example1/example2/../.. HTTP/1.1\n",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        signed(
            "get-header-value-trim",
            "GET / HTTP/1.1\nMy-Header1: value1\nMy-Header2: \"a   b   c\"\n",
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
            "host;my-header1;my-header2;x-amz-date"),
        signed(
            "get-header-key-duplicate",
            "GET / HTTP/1.1\nMy-Header1:value2\nMy-Header1:value2\nMy-Header1:value1\n",
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
            "host;my-header1;x-amz-date"),
        signed(
            "get-header-value-multiline",
            "GET / HTTP/1.1\nMy-Header1:value1\n  value2\n     value3\n",
            "ba17b383a53190154eb5fa66a1b836cc297cc0a3d70a5d00705980573d8ff790",
            "host;my-header1;x-amz-date"),
        Arguments.of(
            "post-x-www-form-urlencoded",
            "POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded\n"
                + HOST
                + "Content-Length:13\n"
                + "x-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\n"
                + AUTHORIZATION.formatted(
                    "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
                    "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b")
                + DATE
                + "\nParam1=value1"),
        presigned(
            "get-vanilla-query-order-key-case (presigned)",
            "/?Param2=value2&Param1=value1&",
            "86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5"),
        presigned(
            "get-utf8 (presigned)",
            "/ሴ?",
            "10eae3f14a260bd3911cc6d008d3c576d143b05b62f09782a7a4b37f52178e44"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void publishedTestSuiteRequestIsVerified(String name, String httpRequest) {
    Principal principal = verifier.verify(parse(httpRequest), "service");

    assertThat(principal).isEqualTo(new Principal("AKIDEXAMPLE", "us-east-1", "service"));
  }

  @Test
  void dateHeaderDatesTheSignatureWhenXAmzDateIsAbsent() {
    // get-vanilla of the original 2011 suite, dated by an RFC 1123 Date header.
    SigV4Verifier at2011 =
        new SigV4Verifier(
            id -> id.equals("AKIDEXAMPLE") ? "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" : null,
            Clock.fixed(Instant.parse("2011-09-09T23:40:00Z"), ZoneOffset.UTC));
    SignedRequest request =
        parse(
            "GET / HTTP/1.1\nDate:Mon, 09 Sep 2011 23:36:00 GMT\nHost:host.foo.com\n"
                + "Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/"
                + "aws4_request, SignedHeaders=date;host,"
                + " Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470\n\n");

    assertThat(at2011.verify(request, "host").region()).isEqualTo("us-east-1");
  }

  private static Arguments signed(String name, String start, String signature) {
    return signed(name, start, signature, "host;x-amz-date");
  }

  private static Arguments signed(
      String name, String start, String signature, String signedHeaders) {
    return Arguments.of(
        name, start + HOST + AUTHORIZATION.formatted(signedHeaders, signature) + DATE + "\n");
  }

  private static Arguments presigned(String name, String target, String signature) {
    return Arguments.of(
        name, "GET " + target + PRESIGNED + signature + " HTTP/1.1\n" + HOST + DATE + "\n");
  }

  /** Returns the request an HTTP/1.1 message in the test suite's text form stands for. */
  private static SignedRequest parse(String message) {
    String[] lines = message.split("\n", -1);
    String method = lines[0].substring(0, lines[0].indexOf(' '));
    // The suite writes "GET /example space/ HTTP/1.1": the target is everything in between.
    String target = lines[0].substring(method.length() + 1, lines[0].lastIndexOf(' '));
    int question = target.indexOf('?');
    Map<String, List<String>> headers = new LinkedHashMap<>();
    String lastName = null;
    int line = 1;
    for (; line < lines.length && !lines[line].isEmpty(); line++) {
      String text = lines[line];
      if (Character.isWhitespace(text.charAt(0))) {
        // The suite's harness reads a folded line as one more value of the same header.
        headers.get(lastName).add(text.strip());
        continue;
      }
      int colon = text.indexOf(':');
      lastName = text.substring(0, colon);
      headers.computeIfAbsent(lastName, n -> new ArrayList<>()).add(text.substring(colon + 1));
    }
    String body =
        String.join("\n", List.of(lines).subList(Math.min(line + 1, lines.length), lines.length));
    return new SignedRequest(
        method,
        question < 0 ? target : target.substring(0, question),
        question < 0 ? null : target.substring(question + 1),
        headers,
        body.getBytes(StandardCharsets.UTF_8));
  }
}
