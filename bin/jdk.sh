# Finds a JDK 21 or newer and exports JAVA_HOME; sourced by bin/berth and bin/test.

berth_java_major() {
  # Prints the feature version of the java binary given, e.g. 21 or 25.
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

berth_find_jdk() {
  local need=21 candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(berth_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge "$need" ]; then
      return 0
    fi
    echo "berth: JAVA_HOME=$JAVA_HOME is Java ${major:-?}; looking for a JDK $need+ under /usr/lib/jvm" >&2
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(berth_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge "$need" ] && [ "${major:-0}" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "berth: needs a JDK $need or newer (with javac); none found in JAVA_HOME or /usr/lib/jvm." >&2
    echo "berth: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+, or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
