package dev.berth.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A berth command's data directory, kept private to its owner: the directory and every directory
 * under it 0700, every file in it 0600, since the store, the credentials and the logs hold secrets.
 */
public final class DataDirectory {
  /** The mode of the data directory and of every directory in it. */
  public static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwx------");

  /** The mode of every file in the data directory. */
  public static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");

  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

  private DataDirectory() {}

  /**
   * Creates the directory 0700 if it is missing, else narrows it and everything in it to 0700 for
   * directories and 0600 for files, logging a warning for each one that was looser.
   */
  public static void secure(Path dir) {
    if (!supportsPosix(dir)) {
      return;
    }
    try {
      if (Files.notExists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        // The umask may have taken bits away, never added any; set it anyway for clarity.
        Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
        return;
      }
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
                throws IOException {
              narrow(d, DIRECTORY_MODE);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              // Symbolic links are not followed: what they point at is not the directory's.
              if (attrs.isRegularFile()) {
                narrow(file, FILE_MODE);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make data directory " + dir + " private", e);
    }
  }

  /** Creates an empty file with mode 0600 unless it exists already, so no one else can open it. */
  public static void createPrivateFile(Path file) {
    if (!supportsPosix(file.toAbsolutePath().getParent())) {
      return;
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // Whoever made it, secure() narrows it on start.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
  }

  /** Narrows a path that exists to the mode given, with a warning when it was looser. */
  public static void narrow(Path path, Set<PosixFilePermission> mode) throws IOException {
    Set<PosixFilePermission> current =
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    if (!current.equals(mode)) {
      Files.setPosixFilePermissions(path, mode);
      LOG.warn(
          "{} was {}; set to {} (only its owner may read berth's data)",
          path,
          PosixFilePermissions.toString(current),
          PosixFilePermissions.toString(mode));
    }
  }

  private static boolean supportsPosix(Path dir) {
    Path existing = dir.toAbsolutePath();
    while (existing != null && Files.notExists(existing)) {
      existing = existing.getParent();
    }
    return existing != null
        && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
