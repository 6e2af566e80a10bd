package io.veritydb.crypto;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.types.Checks;
import io.veritydb.types.KeyException;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link KeyProvider} that reads the master key from a small file (format: {@link
 * MasterKeyFileLayout}, 52 bytes with magic, version and CRC32C), through a {@link FileIo}.
 *
 * <p>Permissions: the file is created readable and writable by its owner only, from its first
 * moment ({@link FileIo#createOwnerOnly}). Opening an existing file whose permissions give the
 * group or others any access is <b>refused</b> with a {@link KeyException} naming the file and its
 * permissions, as ssh does for private keys: a key that others could read must be assumed
 * compromised, and silently using it would hide that. Where the file system has no POSIX
 * permissions the check is skipped (protect the file with the platform's access lists).
 *
 * <p>Creation is crash-safe: the key is written to {@code <file>.tmp} (owner-only), fsynced,
 * renamed to {@code <file>} (refusing to replace an existing file) and the directory fsynced. A
 * crash leaves either no key file (a stray temp file, never used, is deleted by the next create) or
 * a complete one.
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

  /** Reads an existing master key file on the real disk; see {@link #open(FileIo, Path)}. */
  public static FileKeyProvider open(Path file) {
    return open(NioFileIo.INSTANCE, file);
  }

  /** Reads an existing master key file; a missing or damaged file is a {@link KeyException}. */
  public static FileKeyProvider open(FileIo io, Path file) {
    Checks.checkNotNull(io, "io");
    Checks.checkNotNull(file, "master key file");
    return new FileKeyProvider(file, read(io, file));
  }

  /** {@link #openOrCreate(FileIo, Path, SecureRandom)} on the real disk. */
  public static FileKeyProvider openOrCreate(Path file, SecureRandom random) {
    return openOrCreate(NioFileIo.INSTANCE, file, random);
  }

  /** Reads the key file, or creates it with 32 bytes from {@code random} when it does not exist. */
  public static FileKeyProvider openOrCreate(FileIo io, Path file, SecureRandom random) {
    Checks.checkNotNull(io, "io");
    Checks.checkNotNull(file, "master key file");
    Checks.checkNotNull(random, "random");
    if (io.exists(file)) {
      return open(io, file);
    }
    byte[] secret = new byte[MasterKey.LENGTH];
    random.nextBytes(secret);
    MasterKey key = MasterKey.of(secret);
    java.util.Arrays.fill(secret, (byte) 0);
    create(io, file, key);
    return new FileKeyProvider(file, read(io, file));
  }

  @Override
  public MasterKey masterKey() {
    return key;
  }

  /** The key file this provider read. */
  public Path file() {
    return file;
  }

  private static MasterKey read(FileIo io, Path file) {
    if (!io.exists(file)) {
      throw new KeyException("master key file " + file + " does not exist");
    }
    checkPermissions(io, file);
    byte[] bytes = new byte[MasterKeyFileLayout.LENGTH];
    try (FileHandle handle = io.open(file, FileIo.Mode.READ)) {
      long size = handle.size();
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
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        if (handle.read(buffer, buffer.position()) <= 0) {
          throw new KeyException("master key file " + file + " ended while reading it");
        }
      }
      return MasterKeyFileLayout.decode(bytes, file);
    } catch (UnavailableException e) {
      throw new KeyException("cannot read master key file " + file + ": " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  private static void checkPermissions(FileIo io, Path file) {
    Optional<Set<PosixFilePermission>> permissions;
    try {
      permissions = io.permissions(file);
    } catch (UnavailableException e) {
      throw new KeyException(
          "cannot read the permissions of master key file " + file + ": " + e.getMessage(), e);
    }
    if (permissions.isPresent() && !OWNER_ONLY.containsAll(permissions.get())) {
      throw new KeyException(
          "master key file "
              + file
              + " has permissions "
              + PosixFilePermissions.toString(permissions.get())
              + "; it must be accessible by its owner only (rw-------, chmod 600), and a key that"
              + " others could read should be treated as compromised");
    }
  }

  private static void create(FileIo io, Path file, MasterKey key) {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    byte[] bytes = MasterKeyFileLayout.encode(key);
    try {
      io.createDirectories(dir);
      io.delete(temp); // a stray temp file of a crashed create: never used
      try (FileHandle handle = io.createOwnerOnly(temp)) {
        handle.write(ByteBuffer.wrap(bytes), 0);
        handle.sync();
      }
      if (io.exists(file)) { // the caller holds the directory lock: only a person can race here
        io.delete(temp);
        throw new KeyException(
            "master key file " + file + " appeared while creating it; refusing to replace it");
      }
      io.rename(temp, file);
      io.syncDirectory(dir);
    } catch (UnavailableException e) {
      throw new KeyException("cannot create master key file " + file + ": " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }
}
