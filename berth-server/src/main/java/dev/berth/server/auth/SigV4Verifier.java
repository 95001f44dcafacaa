package dev.berth.server.auth;

import static dev.berth.api.ProtocolErrors.incompleteSignature;
import static dev.berth.api.ProtocolErrors.invalidSignature;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import dev.berth.api.AwsException;
import dev.berth.api.ProtocolErrors;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * Verifies AWS Signature Version 4 on requests to the front door, whether signed in the {@code
 * Authorization} header or presigned in the query string, and answers failures with the errors and
 * messages AWS itself uses.
 *
 * <p>Hand-written because no well-kept Java library verifies SigV4 on the server side: the AWS SDKs
 * only sign, canonicalizing a request they are about to send, not one that arrived on the wire.
 * This follows the SigV4 specification for non-S3 services (normalized, doubly encoded paths) and
 * is tested against the published AWS SigV4 test suite and against requests signed by the AWS SDK
 * itself. Streaming (chunked) payloads are not supported.
 *
 * <p>Thread-safe; one instance serves every request. Derived signing keys are cached.
 */
public final class SigV4Verifier {
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private static final int SIGNING_KEY_CAPACITY = 1024;
  private static final String SIGNATURE_MISMATCH =
      "The request signature we calculated does not match the signature you provided. Check your"
          + " AWS Secret Access Key and signing method. Consult the service documentation for"
          + " details.";

  private final SecretKeys keys;
  private final Clock clock;
  private final SigningRegions regions;
  private final SigningKeyCache signingKeys = new SigningKeyCache(SIGNING_KEY_CAPACITY);

  /**
   * Creates a verifier that looks secrets up in {@code keys}, tells time by {@code clock} and
   * accepts AWS's region names only.
   */
  public SigV4Verifier(SecretKeys keys, Clock clock) {
    this(keys, clock, SigningRegions.aws());
  }

  /** Creates a verifier whose credential scopes may name the regions given. */
  public SigV4Verifier(SecretKeys keys, Clock clock, SigningRegions regions) {
    this.keys = requireNonNull(keys, "keys");
    this.clock = requireNonNull(clock, "clock");
    this.regions = requireNonNull(regions, "regions");
  }

  /**
   * Throws the {@link AwsException} AWS would answer unless the headers and query of {@code
   * request} carry a plausible signature: well formed, current, scoped to an accepted region and
   * today, by a known access key. The signature itself is not computed, since it covers a body not
   * yet read: this lets the front door refuse a stranger's upload before buffering it.
   */
  public void checkBeforeBody(SignedRequest request) {
    requireNonNull(request, "request");
    RequestHeaders headers = new RequestHeaders(request.headers());
    claimedScope(claim(headers, QueryParameters.parse(request.rawQuery())), null);
  }

  /**
   * Returns the principal whose signature {@code request} carries, scoped to {@code
   * expectedService} and one of the accepted regions, or throws the {@link AwsException} AWS would
   * answer.
   */
  public Principal verify(SignedRequest request, String expectedService) {
    requireNonNull(request, "request");
    requireNonNull(expectedService, "expectedService");
    RequestHeaders headers = new RequestHeaders(request.headers());
    QueryParameters query = QueryParameters.parse(request.rawQuery());
    SignatureClaim claim = claim(headers, query);

    CredentialScope scope = claimedScope(claim, expectedService);
    String requestTime = AmzDate.format(claim.signedAt());
    String secret = keys.secretFor(scope.accessKeyId());
    if (secret == null) {
      // Deleted since the scope was checked.
      throw ProtocolErrors.unrecognizedClient();
    }

    String declaredPayloadHash = headers.first("x-amz-content-sha256");
    String bodyHash = Sha256.hashHex(request.body());
    // Only S3 lets a signature leave the body out (UNSIGNED-PAYLOAD); every other service signs
    // the body's hash, so such a request is checked against the body it carries and, signed
    // without it, does not match: a body swapped after signing is refused.
    String payloadHash =
        declaredPayloadHash != null && !UNSIGNED_PAYLOAD.equals(declaredPayloadHash)
            ? declaredPayloadHash
            : bodyHash;
    String canonicalRequest = CanonicalRequest.of(request, query, headers, claim, payloadHash);
    String stringToSign =
        SignatureClaim.ALGORITHM
            + '\n'
            + requestTime
            + '\n'
            + scope.text()
            + '\n'
            + Sha256.hashHex(canonicalRequest);
    byte[] signingKey =
        signingKeys.signingKey(secret, scope.date(), scope.region(), scope.service());
    String expected = Sha256.hex(Sha256.hmac(signingKey, stringToSign));
    // Constant time, so the answer's timing does not reveal how much of a guess was right.
    if (!MessageDigest.isEqual(expected.getBytes(US_ASCII), claim.signature().getBytes(US_ASCII))) {
      throw invalidSignature(SIGNATURE_MISMATCH);
    }
    // The signature covers the declared hash, not the body: the two must agree as well.
    if (!bodyHash.equalsIgnoreCase(payloadHash)) {
      throw invalidSignature(
          "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    return new Principal(scope.accessKeyId(), scope.region(), scope.service());
  }

  /**
   * Returns the scope of a claim once everything but the signature itself is checked, in AWS's
   * order (and so which error a request with several faults gets): current, host signed, the
   * algorithm, the scope (for any service when {@code expectedService} is null), a known key.
   */
  private CredentialScope claimedScope(SignatureClaim claim, String expectedService) {
    claim.checkCurrent(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    if (!claim.signsHost()) {
      throw invalidSignature(
          "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    if (!SignatureClaim.ALGORITHM.equals(claim.algorithm())) {
      throw incompleteSignature(
          "Unsupported AWS 'algorithm': '"
              + claim.algorithm()
              + "' (only "
              + SignatureClaim.ALGORITHM
              + " for now). ");
    }
    CredentialScope scope = CredentialScope.parse(claim.credential());
    scope.check(expectedService, regions, AmzDate.format(claim.signedAt()));
    if (keys.secretFor(scope.accessKeyId()) == null) {
      throw ProtocolErrors.unrecognizedClient();
    }
    return scope;
  }

  private static SignatureClaim claim(RequestHeaders headers, QueryParameters query) {
    String authorization = headers.first("authorization");
    if (authorization != null && authorization.isBlank()) {
      authorization = null;
    }
    boolean presigned = query.contains("X-Amz-Algorithm");
    if (authorization == null && !presigned) {
      throw ProtocolErrors.missingAuthenticationToken();
    }
    if (authorization != null && presigned) {
      throw incompleteSignature(
          "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the"
              + " Authorization header should be specified");
    }
    return presigned
        ? SignatureClaim.fromQuery(query)
        : SignatureClaim.fromHeader(authorization, headers);
  }
}
