package dev.berth.server.auth;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import software.amazon.awssdk.regions.Region;

/**
 * The region names a signature's credential scope may name: AWS's own, as the AWS SDK's region
 * metadata lists them ({@code Region.regions()}, without its global pseudo-regions such as {@code
 * aws-global}), and any others the server is configured with.
 */
public final class SigningRegions {
  private static final Set<String> AWS = awsRegions();

  private final Set<String> names;

  private SigningRegions(Set<String> names) {
    this.names = Set.copyOf(names);
  }

  /** Returns AWS's region names only. */
  public static SigningRegions aws() {
    return new SigningRegions(AWS);
  }

  /** Returns AWS's region names and the extra ones given (e.g. a private region name). */
  public static SigningRegions awsAnd(Collection<String> extra) {
    Set<String> names = new HashSet<>(AWS);
    names.addAll(extra);
    return new SigningRegions(names);
  }

  /** Returns true if a credential scope may name {@code region}. */
  public boolean accepts(String region) {
    return names.contains(region);
  }

  private static Set<String> awsRegions() {
    Set<String> names = new HashSet<>();
    for (Region region : Region.regions()) {
      if (!region.isGlobalRegion()) {
        names.add(region.id());
      }
    }
    return Set.copyOf(names);
  }
}
