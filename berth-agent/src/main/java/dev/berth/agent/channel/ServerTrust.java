package dev.berth.agent.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How the agent verifies the Berth server it reaches over HTTPS and WSS: the certificates of a CA
 * file (the usual PKIX checks, host name included), or one certificate pinned by its SHA-256
 * fingerprint (a server's self-signed one; the host name is not checked, the pin is stronger).
 * Without either, the JDK's default trust store applies. A server that fails the check is refused.
 */
public final class ServerTrust {
  private final X509TrustManager trustManager;

  private ServerTrust(X509TrustManager trustManager) {
    this.trustManager = trustManager;
  }

  /** Returns trust in the certificates of a PEM file: a CA's, or the server's own. */
  public static ServerTrust caFile(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int index = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + index++, certificate);
      }
      if (index == 0) {
        throw new IllegalArgumentException("no PEM certificate in " + pem);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return new ServerTrust(x509);
        }
      }
      throw new IllegalStateException("the JDK has no X.509 trust manager");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CA file " + pem, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a PEM certificate file: " + pem, e);
    }
  }

  /**
   * Returns trust in the one certificate whose SHA-256 fingerprint is given, as hex with or without
   * colons (as {@code berth server} prints it, or {@code openssl x509 -fingerprint -sha256}).
   */
  public static ServerTrust fingerprint(String sha256) {
    String hex = sha256.replace(":", "").strip();
    if (hex.regionMatches(true, 0, "SHA256", 0, 6)) {
      hex = hex.substring(6).replaceFirst("^[=: ]+", "");
    }
    byte[] pinned;
    try {
      pinned = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      pinned = new byte[0];
    }
    if (pinned.length != 32) {
      throw new IllegalArgumentException(
          "a SHA-256 fingerprint is 32 bytes of hex, e.g. 3A:9F:...: " + sha256);
    }
    return new ServerTrust(new PinnedCertificate(pinned));
  }

  /** Returns the trust manager, for the AWS SDK's HTTP client. */
  public X509TrustManager trustManager() {
    return trustManager;
  }

  /** Returns a TLS context that trusts the server this way, for the WebSocket client. */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Trusts one certificate, by the SHA-256 of its DER encoding, and nothing else. */
  private static final class PinnedCertificate extends X509ExtendedTrustManager {
    private final byte[] pinned;

    PinnedCertificate(byte[] pinned) {
      this.pinned = pinned.clone();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the server sent no certificate");
      }
      byte[] actual;
      try {
        actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
      } catch (GeneralSecurityException e) {
        throw new CertificateException(e);
      }
      if (!MessageDigest.isEqual(actual, pinned)) {
        throw new CertificateException(
            "the server's certificate has SHA-256 fingerprint "
                + HexFormat.ofDelimiter(":").withUpperCase().formatHex(actual)
                + ", not the pinned "
                + HexFormat.ofDelimiter(":").withUpperCase().formatHex(pinned));
      }
      chain[0].checkValidity();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the agent verifies servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
