package dev.berth.agent.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
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
import java.util.HexFormat;
import java.util.List;

/**
 * A tiny image built without any registry: Debian's static busybox with the applets the tests use,
 * loaded into the engine as {@code berth-test/busybox:latest} unless it is there already.
 */
final class BusyboxImage {
  static final String REPOSITORY = "berth-test/busybox";
  static final String TAG = "latest";
  static final String NAME = REPOSITORY + ":" + TAG;

  private static final List<String> APPLETS =
      List.of(
          "sh",
          "ash",
          "httpd",
          "sleep",
          "echo",
          "cat",
          "wget",
          "true",
          "false",
          "kill",
          "env",
          "id",
          "ls",
          "mkdir",
          "touch",
          "rm",
          "test",
          "grep",
          "hostname",
          "printf",
          "ps",
          "wc",
          "head",
          "tail",
          "stat",
          "nc",
          "timeout",
          "mount",
          "df",
          "whoami",
          "uname",
          "date");

  private static final Object LOCK = new Object();

  private BusyboxImage() {}

  /** Imports the image unless the engine has it; safe to call from many test classes at once. */
  static String ensure(DockerClient docker) {
    return ensure(docker, REPOSITORY, TAG);
  }

  /** Imports the image under the name unless the engine has it, and returns the name. */
  static String ensure(DockerClient docker, String repository, String tag) {
    String name = repository + ":" + tag;
    synchronized (LOCK) {
      try {
        docker.inspectImageCmd(name).exec();
        return name;
      } catch (NotFoundException absent) {
        // Build it below.
      }
      // docker-java 3.4.1's import (createImageCmd with a stream) sends the stream as JSON "{}"
      // instead of the tar, so the image is loaded as a one-layer image archive instead.
      docker.loadImageCmd(new ByteArrayInputStream(imageArchive(name))).exec();
      return name;
    }
  }

  private static byte[] readStaticBusybox() {
    for (String candidate : List.of("/usr/bin/busybox", "/bin/busybox")) {
      Path path = Path.of(candidate);
      if (Files.isRegularFile(path)) {
        try {
          byte[] bytes = Files.readAllBytes(path);
          if (isDynamicElf(bytes)) {
            throw new IllegalStateException(
                path
                    + " is dynamically linked; install busybox-static (apt-get install"
                    + " busybox-static) to build the test image");
          }
          return bytes;
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + path, e);
        }
      }
    }
    throw new IllegalStateException(
        "no busybox found at /usr/bin/busybox or /bin/busybox; install busybox-static"
            + " (apt-get install busybox-static) to build the test image");
  }

  // A program header of type PT_INTERP names the dynamic loader: such a busybox cannot run alone.
  private static boolean isDynamicElf(byte[] elf) {
    ByteBuffer buffer = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[4] != 2) {
      return false;
    }
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

  /** Returns a {@code docker save} style archive of one layer holding busybox, tagged as named. */
  private static byte[] imageArchive(String name) {
    byte[] layer = rootFs(readStaticBusybox());
    String config =
        """
        {"architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
         "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
         "rootfs": {"type": "layers", "diff_ids": ["sha256:%s"]},
         "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "berth test fixture"}]}
        """
            .formatted(sha256(layer));
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

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] rootFs(byte[] busybox) {
    TarWriter tar = new TarWriter();
    for (String dir : List.of("bin/", "etc/", "root/", "proc/", "sys/", "dev/", "var/")) {
      tar.directory(dir, 0755);
    }
    tar.directory("tmp/", 01777);
    tar.file("bin/busybox", busybox, 0755);
    for (String applet : APPLETS) {
      tar.symlink("bin/" + applet, "busybox");
    }
    tar.file(
        "etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"
            .getBytes(StandardCharsets.US_ASCII),
        0644);
    tar.file(
        "etc/group", "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.US_ASCII), 0644);
    return tar.finish();
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
      java.util.Arrays.fill(header, 148, 156, (byte) ' ');
      long sum = 0;
      for (byte b : header) {
        sum += b & 0xff;
      }
      String checksum = String.format("%06o", sum);
      put(header, 148, 6, checksum);
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
