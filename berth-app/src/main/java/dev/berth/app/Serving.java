package dev.berth.app;

import dev.berth.server.BerthServer;
import java.util.concurrent.CountDownLatch;

/** Keeps a started server running until the process is asked to stop. */
final class Serving {
  private Serving() {}

  /**
   * Prints how to reach the server, then serves until SIGINT or SIGTERM; the parts given close
   * first, in order, then the server.
   */
  static int run(BerthServer server, AutoCloseable... parts) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (AutoCloseable part : parts) {
                    try {
                      part.close();
                    } catch (Exception e) {
                      System.err.println("berth: " + e.getMessage());
                    }
                  }
                  server.close();
                  stopped.countDown();
                },
                "berth-shutdown"));
    String credentials = server.credentialsFile().toAbsolutePath().toString();
    System.out.println("Berth is listening on " + server.endpoint());
    System.out.println("Credentials: " + credentials + " (profile " + BerthServer.PROFILE + ")");
    System.out.println(
        "Try: AWS_SHARED_CREDENTIALS_FILE="
            + credentials
            + " aws --profile "
            + BerthServer.PROFILE
            + " --region "
            + server.config().region()
            + " --endpoint-url "
            + server.endpoint()
            + (server.certificate() == null
                ? ""
                : " --ca-bundle " + server.certificate().certificateFile().toAbsolutePath())
            + " ecs list-clusters");
    if (server.certificate() != null) {
      System.out.println(
          "TLS certificate: "
              + server.certificate().certificateFile().toAbsolutePath()
              + (server.certificate().generated() ? " (generated, self-signed)" : ""));
      System.out.println("TLS SHA-256 fingerprint: " + server.certificate().fingerprint());
      System.out.println(
          "Agents: berth agent --endpoint "
              + server.endpoint()
              + " --tls-fingerprint "
              + server.certificate().fingerprint()
              + " (or --tls-ca "
              + server.certificate().certificateFile().toAbsolutePath()
              + ")");
    }
    if (server.dnsAddress() != null) {
      System.out.println(
          "DNS for Cloud Map's private namespaces on "
              + server.dnsAddress().getHostString()
              + ":"
              + server.dnsAddress().getPort()
              + " (UDP and TCP), e.g. dig @"
              + server.dnsAddress().getHostString()
              + " -p "
              + server.dnsAddress().getPort()
              + " SERVICE.NAMESPACE SRV");
    }
    System.out.flush();
    stopped.await();
    return 0;
  }
}
