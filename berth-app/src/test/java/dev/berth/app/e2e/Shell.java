package dev.berth.app.e2e;

import java.util.List;

/** Commands for the test image's busybox shell, as ECS container commands. */
final class Shell {
  /**
   * Defines {@code stamp}, which prints the host's uptime in seconds with two decimals: one clock
   * shared by every container on the engine, to order what they did.
   */
  static final String STAMP = "stamp() { read up idle < /proc/uptime; echo $up; }; ";

  private Shell() {}

  /** Returns the command that runs the script with sh -c. */
  static List<String> sh(String script) {
    return List.of("sh", "-c", script);
  }

  /** Returns a command that idles until SIGTERM, then exits 0 at once. */
  static List<String> idle() {
    return sh("trap 'exit 0' TERM; sleep 600 & wait");
  }

  /**
   * Returns a command that serves the directory over HTTP on port 8080 until SIGTERM, then exits 0
   * at once; the script given runs first.
   */
  static List<String> serve(String docroot, String before) {
    return sh(before + "; trap 'exit 0' TERM; httpd -f -p 8080 -h " + docroot + " & wait");
  }
}
