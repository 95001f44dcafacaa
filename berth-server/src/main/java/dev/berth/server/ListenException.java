package dev.berth.server;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;

/**
 * A port Berth could not listen on, with what it was for and where, so that the command line can
 * say which setting moves it.
 */
public final class ListenException extends RuntimeException {
  /** What a port is for. */
  public enum Purpose {
    API("the API"),
    DNS_UDP("DNS (UDP)"),
    DNS_TCP("DNS (TCP)");

    private final String description;

    Purpose(String description) {
      this.description = description;
    }

    /** Returns the purpose as a message says it, e.g. "DNS (UDP)". */
    public String description() {
      return description;
    }
  }

  private final Purpose purpose;
  private final InetSocketAddress address;

  /** Creates the exception for the purpose and address; the cause says why, e.g. in use. */
  public ListenException(Purpose purpose, InetSocketAddress address, Throwable cause) {
    super(
        "cannot listen on "
            + requireNonNull(address).getHostString()
            + ":"
            + address.getPort()
            + " for "
            + requireNonNull(purpose).description()
            + ": "
            + (cause.getMessage() == null ? cause.toString() : cause.getMessage()),
        cause);
    this.purpose = purpose;
    this.address = address;
  }

  /**
   * Binds the bootstrap to the address and returns the bound channel; a failure to bind is thrown
   * as a ListenException for the purpose.
   */
  public static Channel bind(
      AbstractBootstrap<?, ?> bootstrap, InetSocketAddress address, Purpose purpose)
      throws InterruptedException {
    // Netty's sync() rethrows the cause unchecked and unnamed; await() lets it be named.
    ChannelFuture bound = bootstrap.bind(address).await();
    if (!bound.isSuccess()) {
      throw new ListenException(purpose, address, bound.cause());
    }
    return bound.channel();
  }

  /** Returns what the port was for. */
  public Purpose purpose() {
    return purpose;
  }

  /** Returns the address and port that could not be bound. */
  public InetSocketAddress address() {
    return address;
  }
}
