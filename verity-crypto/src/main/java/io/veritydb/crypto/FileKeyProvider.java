package io.veritydb.crypto;

import io.veritydb.types.Checks;
import io.veritydb.types.KeyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/**
 * A {@link KeyProvider} that reads the master key from a small file (format: {@link
 * MasterKeyFileLayout}, 52 bytes with magic, version and CRC32C).
 *
 * <p>Permissions: on a POSIX file system the file is created with mode {@code rw-------}, set
 * atomically at creation (never created wider, then narrowed). Opening an existing file whose
 * permissions give the group or others any access is <b>refused</b> with a {@link KeyException}
 * naming the file and its permissions, as ssh does for private keys: a key that others could read
 * must be assumed compromised, and silently using it would hide that. On file systems without POSIX
 * permissions the check is skipped (protect the file with the platform's ACLs).
 *
 * <p>Creation is crash-safe: the key is written to {@code <file>.tmp} (owner-only), fsynced,
 * renamed to {@code <file>} (refusing to replace an existing file) and the directory fsynced. A
 * crash leaves either no key file (a stray temp file, never used, is deleted by the next create) or
 * a complete one. This class does its own file I/O through java.nio because {@link
 * io.veritydb.io.FileIo} has no way to set permissions; it touches only the key file and its temp
 * file.
 *
 * <p>The key is read once, at construction, and held in memory.
 */
public final class FileKeyProvider implements KeyProvider {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final Path file;
  private final MasterKey key;

  private FileKeyProvider(Path file, MasterKey key) {
    this.file = file;
    this.key = key;
  }

  /** Reads an existing master key file; a missing or damaged file is a {@link KeyException}. */
  public static FileKeyProvider open(Path file) {
    Checks.checkNotNull(file, "master key file");
    return new FileKeyProvider(file, read(file));
  }

  /**
   * Reads the master key file, or creates it with 32 bytes from {@code random} when it does not
   * exist.
   */
  public static FileKeyProvider openOrCreate(Path file, SecureRandom random) {
    Checks.checkNotNull(file, "master key file");
    Checks.checkNotNull(random, "random");
    if (Files.exists(file)) {
      return open(file);
    }
    byte[] secret = new byte[MasterKey.LENGTH];
    random.nextBytes(secret);
    MasterKey key = MasterKey.of(secret);
    java.util.Arrays.fill(secret, (byte) 0);
    create(file, key);
    return new FileKeyProvider(file, read(file));
  }

  @Override
  public MasterKey masterKey() {
    return key;
  }

  /** The key file this provider read. */
  public Path file() {
    return file;
  }

  private static MasterKey read(Path file) {
    checkPermissions(file);
    byte[] bytes;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size != MasterKeyFileLayout.LENGTH) {
        throw new KeyException(
            "master key file "
                + file
                + " is "
                + size
                + " bytes, expected "
                + MasterKeyFileLayout.LENGTH
                + ": truncated or not a VerityDB master key file");
      }
      ByteBuffer buffer = ByteBuffer.allocate(MasterKeyFileLayout.LENGTH);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // loop until full or end of file; bounded by the buffer size
      }
      bytes = buffer.array();
    } catch (NoSuchFileException e) {
      throw new KeyException("master key file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new KeyException("cannot read master key file " + file + ": " + e.getMessage(), e);
    }
    try {
      return MasterKeyFileLayout.decode(bytes, file);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  private static void checkPermissions(Path file) {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> permissions;
    try {
      permissions = view.readAttributes().permissions();
    } catch (NoSuchFileException e) {
      throw new KeyException("master key file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new KeyException(
          "cannot read the permissions of master key file " + file + ": " + e.getMessage(), e);
    }
    if (!OWNER_ONLY.containsAll(permissions)) {
      throw new KeyException(
          "master key file "
              + file
              + " has permissions "
              + PosixFilePermissions.toString(permissions)
              + "; it must be accessible by its owner only (rw-------, chmod 600), and a key that"
              + " others could read should be treated as compromised");
    }
  }

  private static void create(Path file, MasterKey key) {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    byte[] bytes = MasterKeyFileLayout.encode(key);
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(temp); // a stray temp file of a crashed create: never used
      boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
      FileAttribute<?>[] attributes =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
              : new FileAttribute<?>[0];
      Files.createFile(temp, attributes);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, file); // no REPLACE_EXISTING: never overwrite a master key
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    } catch (FileAlreadyExistsException e) {
      throw new KeyException(
          "master key file " + file + " appeared while creating it; refusing to replace it", e);
    } catch (IOException e) {
      throw new KeyException("cannot create master key file " + file + ": " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }
}
