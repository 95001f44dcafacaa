package dev.berth.agent.runtime;

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
 * Builds a tiny image without any registry, from the host's static busybox (Debian's
 * busybox-static), as an archive {@code docker load} takes: what tests and benchmarks run when no
 * image can be pulled.
 */
public final class BusyboxImageArchive {
  private BusyboxImageArchive() {}

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
                    + " busybox-static) to build the image");
          }
          return bytes;
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + path, e);
        }
      }
    }
    throw new IllegalStateException(
        "no busybox found at /usr/bin/busybox or /bin/busybox; install busybox-static"
            + " (apt-get install busybox-static) to build the image");
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

  /**
   * Returns a {@code docker save} style archive of one layer holding the host's static busybox with
   * those applets linked in /bin, a root and a nobody user, tagged as named; {@code createdBy} goes
   * in the image's history. Fails, naming busybox-static, if the host has no static busybox.
   */
  public static byte[] build(String name, List<String> applets, String createdBy) {
    byte[] layer = rootFs(readStaticBusybox(), applets);
    String config =
        """
        {"architecture": "%s", "os": "linux", "created": "2024-01-01T00:00:00Z",
         "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
         "rootfs": {"type": "layers", "diff_ids": ["sha256:%s"]},
         "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "%s"}]}
        """
            .formatted(architecture(), sha256(layer), createdBy);
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

  // Docker names architectures as Go does; the JVM names amd64 alike but ARM's as aarch64.
  private static String architecture() {
    String arch = System.getProperty("os.arch");
    return arch.equals("aarch64") ? "arm64" : arch;
  }

  private static byte[] rootFs(byte[] busybox, List<String> applets) {
    TarWriter tar = new TarWriter();
    for (String dir : List.of("bin/", "etc/", "root/", "proc/", "sys/", "dev/", "var/")) {
      tar.directory(dir, 0755);
    }
    tar.directory("tmp/", 01777);
    tar.file("bin/busybox", busybox, 0755);
    for (String applet : applets) {
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
