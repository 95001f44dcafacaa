package dev.berth.server.tls;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS certificate of the API port: a PEM chain and key the operator gave, or a self-signed pair
 * the server generated once into its data directory ({@code tls/server.crt} and {@code
 * tls/server.key}, both 0600), named by its SHA-256 fingerprint for agents to pin.
 *
 * <p>The pair is made with BouncyCastle's {@code bcpkix}: the JDK makes keys but has no public API
 * that writes an X.509 certificate, and Netty's {@code SelfSignedCertificate} is deprecated.
 */
public final class ServerCertificate {
  /** How long a generated certificate is valid: it is pinned by fingerprint, not by expiry. */
  static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(3650);

  private final Path certificateFile;
  private final Path keyFile;
  private final X509Certificate certificate;
  private final boolean generated;

  private ServerCertificate(
      Path certificateFile, Path keyFile, X509Certificate certificate, boolean generated) {
    this.certificateFile = certificateFile;
    this.keyFile = keyFile;
    this.certificate = certificate;
    this.generated = generated;
  }

  /** Returns the certificate and key in the PEM files given. */
  public static ServerCertificate fromFiles(Path certificateFile, Path keyFile) {
    return new ServerCertificate(
        requireNonNull(certificateFile), requireNonNull(keyFile), read(certificateFile), false);
  }

  /**
   * Returns the self-signed pair in {@code dataDir/tls}, generating it first if it is not there,
   * for the host names and addresses given beside this host's own.
   */
  public static ServerCertificate selfSigned(Path dataDir, List<String> extraNames) {
    Path dir = dataDir.resolve("tls");
    Path certificateFile = dir.resolve("server.crt");
    Path keyFile = dir.resolve("server.key");
    if (Files.exists(certificateFile) && Files.exists(keyFile)) {
      return new ServerCertificate(certificateFile, keyFile, read(certificateFile), false);
    }
    try {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      X509Certificate certificate = sign(pair, names(extraNames));
      writePrivately(keyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      writePrivately(certificateFile, pem("CERTIFICATE", certificate.getEncoded()));
      return new ServerCertificate(certificateFile, keyFile, certificate, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a TLS certificate into " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make a TLS certificate", e);
    }
  }

  /** Returns the certificate's PEM file. */
  public Path certificateFile() {
    return certificateFile;
  }

  /** Returns true if this start generated the pair. */
  public boolean generated() {
    return generated;
  }

  /** Returns the SHA-256 fingerprint of the certificate, e.g. {@code 3A:9F:...}. */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns Netty's server TLS context for the pair (TLS 1.2 and 1.3, the JDK's provider). */
  public SslContext sslContext() {
    try {
      return SslContextBuilder.forServer(certificateFile.toFile(), keyFile.toFile())
          .protocols("TLSv1.3", "TLSv1.2")
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot use the TLS certificate " + certificateFile + " with key " + keyFile + ": " + e,
          e);
    }
  }

  private static X509Certificate sign(KeyPair pair, Set<String> names)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=berth server");
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            new BigInteger(127, new SecureRandom()),
            Date.from(now.minus(Duration.ofDays(1))),
            Date.from(now.plus(SELF_SIGNED_VALIDITY)),
            subject,
            pair.getPublic());
    List<GeneralName> alternatives = new ArrayList<>();
    for (String name : names) {
      boolean address = name.contains(":") || name.matches("[0-9.]+");
      alternatives.add(
          new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, name));
    }
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(alternatives.toArray(GeneralName[]::new)));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
  }

  /**
   * Returns the names the certificate is for: localhost, this host's name and every address of its
   * interfaces, and the extra ones (the bind address), so that a CA-file client verifies the host.
   */
  private static Set<String> names(List<String> extraNames) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      // No name of its own: addresses still identify the host.
    }
    try {
      for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(network.getInetAddresses())) {
          String text = address.getHostAddress();
          int zone = text.indexOf('%');
          names.add(zone < 0 ? text : text.substring(0, zone));
        }
      }
    } catch (SocketException e) {
      // The names above still serve pinning, which ignores them.
    }
    for (String name : extraNames) {
      if (!name.isBlank() && !name.equals("0.0.0.0") && !name.equals("::")) {
        names.add(name);
      }
    }
    return names;
  }

  private static X509Certificate read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TLS certificate " + file, e);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("not a PEM X.509 certificate: " + file, e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static void writePrivately(Path file, String text) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(
        temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, text, StandardCharsets.US_ASCII);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
