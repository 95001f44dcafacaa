package dev.berth.api;

import static java.util.Objects.requireNonNull;

/**
 * An error answered to an AWS client: the exception name it sees as {@code __type}, the HTTP status
 * and the message.
 */
public class AwsException extends RuntimeException {
  private final String code;
  private final int status;

  /** Creates an error with the given AWS exception name, HTTP status and message. */
  public AwsException(String code, int status, String message) {
    super(requireNonNull(message), null, false, false);
    this.code = requireNonNull(code);
    this.status = status;
  }

  /** Returns the AWS exception name, e.g. {@code ClusterNotFoundException}. */
  public String code() {
    return code;
  }

  /** Returns the HTTP status code of the error response. */
  public int status() {
    return status;
  }

  /** Returns true if the client caused the error (a 4xx status). */
  public boolean isClientFault() {
    return status < 500;
  }

  @Override
  public String toString() {
    return code + " (" + status + "): " + getMessage();
  }
}
