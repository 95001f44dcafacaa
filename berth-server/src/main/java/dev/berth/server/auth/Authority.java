package dev.berth.server.auth;

import static java.util.Objects.requireNonNull;

import dev.berth.api.AwsException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides whether the key that signed a request may call an operation, before the operation runs:
 * admin keys may call every one, read-only keys those that only read (Describe*, List*, Get*), an
 * instance's key those its agent calls, an activation only the exchange for an instance's key.
 * Operations then check the resources an instance's key names (its instance, its tasks).
 */
public final class Authority {
  /** The operations of ECS an agent calls, with its instance's key. */
  static final Set<String> AGENT_OPERATIONS =
      Set.of(
          "RegisterContainerInstance",
          "SubmitTaskStateChange",
          "SubmitContainerStateChange",
          "SubmitAttachmentStateChanges",
          "DiscoverPollEndpoint");

  /** The operations of Berth's identity service an instance's key calls on itself. */
  static final Set<String> SELF_OPERATIONS =
      Set.of("CreateAccessKey", "DeleteAccessKey", "ListAccessKeys");

  /** The SigV4 signing name of Berth's identity service (keys and activations). */
  public static final String IDENTITY_SIGNING_NAME = "berth";

  /** The one operation an activation may sign. */
  public static final String REGISTER_WITH_ACTIVATION = "RegisterManagedInstance";

  private final AccessKeys keys;
  private final String accountId;
  private final Predicate<String> deregistered;

  /**
   * Creates the authority over the keys given; {@code deregistered} tells whether a container
   * instance has been deregistered, so that its keys stop working at once.
   */
  public Authority(AccessKeys keys, String accountId, Predicate<String> deregistered) {
    this.keys = requireNonNull(keys);
    this.accountId = requireNonNull(accountId);
    this.deregistered = requireNonNull(deregistered);
  }

  /**
   * Returns the caller a verified principal is if its key may call the operation of the service
   * (its SigV4 signing name), else throws AccessDeniedException as AWS answers it.
   */
  public Caller authorize(Principal principal, String service, String operation) {
    StoredKey key = keys.get(principal.accessKeyId());
    if (key == null) {
      // Verified by a key that is gone since: refuse as an unknown key would be.
      throw denied(principal, service, operation);
    }
    Caller caller =
        new Caller(key.accessKeyId(), key.scope(), key.cluster(), key.containerInstanceArn());
    boolean allowed =
        switch (key.scope()) {
          case ADMIN -> !REGISTER_WITH_ACTIVATION.equals(operation);
          case READ_ONLY -> isRead(operation);
          case INSTANCE ->
              key.region().equals(principal.region())
                  && !deregistered.test(key.containerInstanceArn())
                  && ("ecs".equals(service) && AGENT_OPERATIONS.contains(operation)
                      || IDENTITY_SIGNING_NAME.equals(service)
                          && SELF_OPERATIONS.contains(operation));
          case ACTIVATION ->
              key.region().equals(principal.region())
                  && IDENTITY_SIGNING_NAME.equals(service)
                  && REGISTER_WITH_ACTIVATION.equals(operation);
        };
    if (!allowed) {
      throw denied(principal, service, operation);
    }
    return caller;
  }

  /**
   * Returns the caller if its key may hold the agent channel of that container instance: an admin
   * key, or that instance's own key; else throws AccessDeniedException.
   */
  public Caller authorizeChannel(Principal principal, String containerInstanceArn) {
    Caller caller = authorize(principal, "ecs", "RegisterContainerInstance");
    if (caller.isInstance() && !caller.containerInstanceArn().equals(containerInstanceArn)) {
      throw denied(principal, "ecs", "Poll");
    }
    return caller;
  }

  /** Returns the AccessDeniedException AWS answers for an operation a key may not call. */
  public AwsException denied(Principal principal, String service, String operation) {
    return accessDenied(
        "User: arn:aws:iam::"
            + accountId
            + ":user/"
            + principal.accessKeyId()
            + " is not authorized to perform: "
            + service
            + ":"
            + operation
            + " because no identity-based policy allows the "
            + service
            + ":"
            + operation
            + " action");
  }

  /** Returns an AccessDeniedException (HTTP 400, as ECS's model has it) with that message. */
  public static AwsException accessDenied(String message) {
    return new AwsException("AccessDeniedException", 400, message);
  }

  private static boolean isRead(String operation) {
    return operation.startsWith("Describe")
        || operation.startsWith("List")
        || operation.startsWith("Get")
        // CloudWatch Logs' FilterLogEvents only reads.
        || operation.equals("FilterLogEvents");
  }
}
