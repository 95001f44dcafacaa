package dev.berth.agent.runtime;

/**
 * An image reference split the way the pull API wants it: the repository (with its registry) and a
 * tag or a digest.
 */
record ImageReference(String repository, String tagOrDigest) {
  /** Splits {@code [registry[:port]/]name[:tag][@digest]}; the tag defaults to latest. */
  static ImageReference parse(String image) {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("no image");
    }
    String text = image.trim();
    int at = text.indexOf('@');
    if (at >= 0) {
      // A digest pins the content; a tag next to it says nothing more to the pull.
      String name = text.substring(0, at);
      return new ImageReference(stripTag(name), text.substring(at + 1));
    }
    int colon = text.lastIndexOf(':');
    if (colon > text.lastIndexOf('/')) {
      return new ImageReference(text.substring(0, colon), text.substring(colon + 1));
    }
    return new ImageReference(text, "latest");
  }

  private static String stripTag(String name) {
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  /** Returns the reference in Docker's usual form. */
  @Override
  public String toString() {
    return repository + (tagOrDigest.contains(":") ? "@" : ":") + tagOrDigest;
  }
}
