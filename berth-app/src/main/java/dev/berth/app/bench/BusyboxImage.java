package dev.berth.app.bench;

import static java.util.Objects.requireNonNull;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A tiny image for benchmarks, built without any registry: the host's static busybox with {@code
 * sh} and {@code sleep}, loaded into the engine under a name unless it is there already. Closing it
 * removes the image only if this instance loaded it.
 */
final class BusyboxImage implements AutoCloseable {
  private static final List<String> APPLETS = List.of("sh", "sleep", "true");

  private final DockerClient docker;
  private final String name;
  private final boolean loaded;

  private BusyboxImage(DockerClient docker, String name, boolean loaded) {
    this.docker = docker;
    this.name = name;
    this.loaded = loaded;
  }

  /**
   * Connects to the engine at the host with the API version already negotiated with it, and loads
   * the image under the name unless the engine has one of that name.
   */
  static BusyboxImage ensure(String dockerHost, String apiVersion, String name) {
    requireNonNull(name, "name");
    DockerClient docker = client(dockerHost, apiVersion);
    try {
      try {
        docker.inspectImageCmd(name).exec();
        return new BusyboxImage(docker, name, false);
      } catch (NotFoundException absent) {
        // Build it below.
      }
      // docker-java's import (createImageCmd with a stream) sends "{}" instead of the tar, so the
      // image goes in as a one-layer image archive, as `docker save` writes them.
      docker.loadImageCmd(new ByteArrayInputStream(imageArchive(name))).exec();
      docker.inspectImageCmd(name).exec();
      return new BusyboxImage(docker, name, true);
    } catch (RuntimeException e) {
      closeQuietly(docker, e);
      throw e;
    }
  }

  /** Returns the image's name, e.g. {@code berth-bench/busybox:latest}. */
  String name() {
    return name;
  }

  /** Returns true if this instance loaded the image, so closing it removes the image. */
  boolean loaded() {
    return loaded;
  }

  /** Removes the image if this instance loaded it, and closes the connection. */
  @Override
  public void close() {
    try {
      if (loaded) {
        docker.removeImageCmd(name).exec();
      }
    } catch (NotFoundException gone) {
      // Someone removed it already.
    } finally {
      closeQuietly(docker, null);
    }
  }

  private static DockerClient client(String host, String apiVersion) {
    DockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(host)
            .withApiVersion(RemoteApiVersion.parseConfig(apiVersion))
            .build();
    ZerodepDockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(10))
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  private static void closeQuietly(DockerClient docker, Exception primary) {
    try {
      docker.close();
    } catch (IOException e) {
      if (primary != null) {
        primary.addSuppressed(e);
      }
    }
  }

  /** Returns a {@code docker save} style archive of one layer holding busybox, tagged as named. */
  private static byte[] imageArchive(String name) {
    byte[] layer = rootFs(readStaticBusybox());
    String config =
        """
        {"architecture": "%s", "os": "linux", "created": "2024-01-01T00:00:00Z",
         "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
         "rootfs": {"type": "layers", "diff_ids": ["sha256:%s"]},
         "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "berth bench"}]}
        """
            .formatted(architecture(), sha256(layer));
    byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
    String configName = sha256(configBytes) + ".json";
    String manifest =
        "[{\"Config\": \"%s\", \"RepoTags\": [\"%s\"], \"Layers\": [\"layer.tar\"]}]"
            .formatted(configName, name);
    TarWriter archive = new TarWriter();
    archive.file(configName, configBytes, 0644);
    archive.file("layer.tar", layer, 0644);
    archive.file("manifest.json", manifest.getBytes(StandardCharsets.UTF_8), 0644);
    return archive.finish();
  }

  // Docker names architectures as Go does; the JVM names amd64 alike but ARM's as aarch64.
  private static String architecture() {
    String arch = System.getProperty("os.arch");
    return arch.equals("aarch64") ? "arm64" : arch;
  }

  private static byte[] rootFs(byte[] busybox) {
    TarWriter tar = new TarWriter();
    for (String dir : List.of("bin/", "etc/", "proc/", "sys/", "dev/")) {
      tar.directory(dir, 0755);
    }
    tar.directory("tmp/", 01777);
    tar.file("bin/busybox", busybox, 0755);
    for (String applet : APPLETS) {
      tar.symlink("bin/" + applet, "busybox");
    }
    tar.file("etc/passwd", "root:x:0:0:root:/:/bin/sh\n".getBytes(StandardCharsets.US_ASCII), 0644);
    tar.file("etc/group", "root:x:0:\n".getBytes(StandardCharsets.US_ASCII), 0644);
    return tar.finish();
  }

  private static byte[] readStaticBusybox() {
    for (String candidate : List.of("/bin/busybox", "/usr/bin/busybox")) {
      Path path = Path.of(candidate);
      if (Files.isRegularFile(path)) {
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(path);
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + path, e);
        }
        if (isDynamicElf(bytes)) {
          throw new IllegalStateException(
              path + " is dynamically linked; install busybox-static to build the bench image");
        }
        return bytes;
      }
    }
    throw new IllegalStateException(
        "no busybox at /bin/busybox or /usr/bin/busybox; install busybox-static to build the"
            + " bench image");
  }

  // A program header of type PT_INTERP names the dynamic loader: such a busybox cannot run alone.
  private static boolean isDynamicElf(byte[] elf) {
    if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[4] != 2) {
      return false;
    }
    ByteBuffer buffer = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    long programHeaders = buffer.getLong(0x20);
    int entrySize = Short.toUnsignedInt(buffer.getShort(0x36));
    int entries = Short.toUnsignedInt(buffer.getShort(0x38));
    for (int i = 0; i < entries; i++) {
      if (buffer.getInt((int) programHeaders + i * entrySize) == 3) {
        return true;
      }
    }
    return false;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a ustar archive in memory: just what an image's root file system needs. */
  private static final class TarWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void directory(String name, int mode) {
      header(name, mode, 0, '5', "");
    }

    void file(String name, byte[] content, int mode) {
      header(name, mode, content.length, '0', "");
      out.writeBytes(content);
      out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }

    void symlink(String name, String target) {
      header(name, 0777, 0, '2', target);
    }

    byte[] finish() {
      out.writeBytes(new byte[1024]);
      return out.toByteArray();
    }

    private void header(String name, int mode, long size, char type, String linkName) {
      byte[] header = new byte[512];
      put(header, 0, 100, name);
      octal(header, 100, 8, mode);
      octal(header, 108, 8, 0);
      octal(header, 116, 8, 0);
      octal(header, 124, 12, size);
      octal(header, 136, 12, 1_700_000_000L);
      header[156] = (byte) type;
      put(header, 157, 100, linkName);
      put(header, 257, 6, "ustar");
      put(header, 263, 2, "00");
      put(header, 265, 32, "root");
      put(header, 297, 32, "root");
      // The checksum is computed with its own field read as spaces.
      Arrays.fill(header, 148, 156, (byte) ' ');
      long sum = 0;
      for (byte b : header) {
        sum += b & 0xff;
      }
      put(header, 148, 6, String.format("%06o", sum));
      header[154] = 0;
      header[155] = ' ';
      out.writeBytes(header);
    }

    private static void put(byte[] header, int offset, int length, String text) {
      byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
      if (bytes.length > length) {
        throw new IllegalArgumentException("too long for a tar header: " + text);
      }
      System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static void octal(byte[] header, int offset, int length, long value) {
      put(header, offset, length - 1, String.format("%0" + (length - 1) + "o", value));
    }
  }
}
