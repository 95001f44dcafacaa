package dev.berth.api;

/** Returns the errors that AWS's front door answers before any service sees a request. */
public final class ProtocolErrors {
  private ProtocolErrors() {}

  /** Returns the error for a body that is not the JSON the operation's input shape asks for. */
  public static AwsException serialization(String message) {
    return new AwsException("SerializationException", 400, message);
  }

  /** Returns the error for an operation or target that no service here knows. */
  public static AwsException unknownOperation(String message) {
    return new AwsException("UnknownOperationException", 400, message);
  }

  /** Returns the error for a request without any authentication. */
  public static AwsException missingAuthenticationToken() {
    return new AwsException(
        "MissingAuthenticationTokenException", 403, "Missing Authentication Token");
  }

  /** Returns the error for an Authorization header that lacks parts of a SigV4 signature. */
  public static AwsException incompleteSignature(String message) {
    return new AwsException("IncompleteSignatureException", 400, message);
  }

  /** Returns the error for a signature that does not match, or is expired or mis-scoped. */
  public static AwsException invalidSignature(String message) {
    return new AwsException("InvalidSignatureException", 400, message);
  }

  /** Returns the error for an access key that the server does not know. */
  public static AwsException unrecognizedClient() {
    return new AwsException(
        "UnrecognizedClientException",
        400,
        "The security token included in the request is invalid.");
  }

  /** Returns the error for a request body larger than the server accepts. */
  public static AwsException requestEntityTooLarge(long limit) {
    return new AwsException(
        "RequestEntityTooLargeException",
        413,
        "Request body is larger than the limit of " + limit + " bytes.");
  }

  /** Returns the error for an HTTP method or path that no AWS protocol here uses. */
  public static AwsException notFound(String message) {
    return new AwsException("UnknownOperationException", 404, message);
  }
}
