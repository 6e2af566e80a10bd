package io.veritydb.io;

import io.veritydb.types.ClosedException;
import io.veritydb.types.UnavailableException;
import io.veritydb.types.VerityException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/** {@link FileIo} over {@link FileChannel}: the real disk. */
public final class NioFileIo implements FileIo {
  public static final NioFileIo INSTANCE = new NioFileIo();

  private NioFileIo() {}

  @Override
  public FileHandle open(Path path, Mode mode) {
    OpenOption[] options =
        switch (mode) {
          case READ -> new OpenOption[] {StandardOpenOption.READ};
          case WRITE -> new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
          case CREATE ->
              new OpenOption[] {
                StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE
              };
        };
    try {
      return new NioFileHandle(path, FileChannel.open(path, options), mode != Mode.READ);
    } catch (NoSuchFileException e) {
      throw new UnavailableException("file not found: " + path, e);
    } catch (IOException e) {
      throw new UnavailableException("cannot open " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean exists(Path path) {
    return Files.exists(path);
  }

  @Override
  public boolean isDirectory(Path path) {
    return Files.isDirectory(path);
  }

  @Override
  public List<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> files = new ArrayList<>();
      entries.filter(Files::isRegularFile).sorted().forEach(files::add);
      return files;
    } catch (IOException | UncheckedIOException e) {
      throw new UnavailableException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UnavailableException("cannot create directory " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UnavailableException("cannot delete " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void rename(Path source, Path target) {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UnavailableException(
          "cannot rename " + source + " to " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Syncs a directory's entries. As for a handle's fsync (see {@link NioFileHandle}), the caller's
   * interrupt status is set aside while it runs and restored after; an interrupt that arrives
   * during the fsync fails it, since its outcome is lost.
   */
  @Override
  public void syncDirectory(Path dir) {
    Threads.withInterruptSetAside(
        () -> {
          try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
          } catch (ClosedByInterruptException e) { // leaves the interrupt status set
            throw new UnavailableException(
                "syncing directory "
                    + dir
                    + " was interrupted (Thread.interrupt); whether its entries are durable cannot"
                    + " be known",
                e);
          } catch (IOException e) {
            throw new UnavailableException(
                "cannot sync directory " + dir + ": " + e.getMessage(), e);
          }
        });
  }

  @Override
  public FileHandle createOwnerOnly(Path path) {
    Path parent = path.toAbsolutePath().getParent();
    boolean posix =
        parent != null && Files.getFileAttributeView(parent, PosixFileAttributeView.class) != null;
    FileAttribute<?>[] attributes =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(
                  EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))
            }
            : new FileAttribute<?>[0];
    try {
      FileChannel channel =
          FileChannel.open(
              path,
              Set.of(
                  StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
              attributes);
      return new NioFileHandle(path, channel, true);
    } catch (FileAlreadyExistsException e) {
      throw new UnavailableException("cannot create " + path + ": it already exists", e);
    } catch (IOException e) {
      throw new UnavailableException("cannot create " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Set<PosixFilePermission>> permissions(Path path) {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(view.readAttributes().permissions());
    } catch (NoSuchFileException e) {
      throw new UnavailableException("file not found: " + path, e);
    } catch (IOException e) {
      throw new UnavailableException(
          "cannot read the permissions of " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The operating system's lock belongs to the process, and closing any channel on the file
   * releases it for the whole process: a second attempt in this process would do that when it
   * failed. So the files this process holds are kept here, and checked before a channel is opened.
   */
  private final ConcurrentMap<Path, HeldLock.Mode> held = new ConcurrentHashMap<>();

  @Override
  public HeldLock lock(Path file, HeldLock.Mode mode) {
    Path key = lockKey(file);
    HeldLock.Mode holder = held.putIfAbsent(key, mode);
    if (holder != null) {
      throw new FileLockedException(file, holder);
    }
    FileChannel channel = null;
    try {
      boolean shared = mode == HeldLock.Mode.SHARED;
      if (shared) {
        if (!Files.exists(file)) {
          Path dir = file.toAbsolutePath().getParent();
          if (dir == null || !Files.isWritable(dir)) {
            return new NioLock(file, key, null, null); // nobody can create it to write either
          }
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
        }
        channel = FileChannel.open(file, StandardOpenOption.READ);
      } else {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      }
      FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
      if (lock == null) {
        throw new FileLockedException(file, null);
      }
      return new NioLock(file, key, channel, lock);
    } catch (IOException | OverlappingFileLockException | UnavailableException e) {
      held.remove(key);
      closeQuietly(channel);
      if (e instanceof UnavailableException u) {
        throw u;
      }
      throw new UnavailableException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** The lock file as this process knows it: its real path when it can be found. */
  private static Path lockKey(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      return dir == null ? file.toAbsolutePath() : dir.toRealPath().resolve(file.getFileName());
    } catch (IOException e) {
      return file.toAbsolutePath().normalize();
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException suppressed) {
      // The lock attempt has already failed; its error is what the caller needs.
    }
  }

  /** A lock of {@link #lock}: the channel stays open while it is held (none: nothing held). */
  private final class NioLock implements HeldLock {
    private final Path file;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    NioLock(Path file, Path key, FileChannel channel, FileLock lock) {
      this.file = file;
      this.key = key;
      this.channel = channel;
      this.lock = lock;
    }

    @Override
    public Path file() {
      return file;
    }

    @Override
    public synchronized void close() {
      if (released) {
        return;
      }
      released = true;
      try {
        if (lock != null) {
          try {
            lock.release();
          } finally {
            channel.close();
          }
        }
      } catch (IOException e) {
        throw new UnavailableException(
            "cannot release the lock " + file + ": " + e.getMessage(), e);
      } finally {
        held.remove(key);
      }
    }
  }

  /**
   * A file handle that an application's {@link Thread#interrupt} cannot break. A {@link
   * FileChannel} closes itself, for every thread using it, when a thread blocked in it is
   * interrupted ({@link ClosedByInterruptException}, or {@link AsynchronousCloseException} for the
   * other threads); queries read the store file on the application's threads, so one interrupted
   * query used to leave the store's handle closed and the database failing every later call.
   *
   * <p>Each operation runs with the calling thread's interrupt status cleared and restores it
   * after, so an interrupt from before the call does not reach the channel. An interrupt that
   * arrives during a read, write, truncate or size reopens the file and retries the operation: they
   * are positional and idempotent, and a writeback error of earlier writes is still reported to the
   * new channel's next fsync (Linux reports an error not yet seen by anyone to later openers). An
   * interrupt during an fsync also reopens the file, but the fsync fails: its outcome, possibly an
   * error now counted as seen, is lost, so whether the writes before it are durable cannot be
   * known. Only {@link #close()} closes the handle for good.
   */
  private static final class NioFileHandle implements FileHandle {
    /** Interrupts in a row one operation survives before it gives up. */
    private static final int MAX_REOPENS = 16;

    private final Path path;
    private final boolean writable;
    private volatile FileChannel channel;
    private volatile boolean closed;

    NioFileHandle(Path path, FileChannel channel, boolean writable) {
      this.path = path;
      this.channel = channel;
      this.writable = writable;
    }

    /** One attempt of an operation on the current channel. */
    private interface Attempt<T> {
      T run(FileChannel channel) throws IOException;
    }

    /**
     * Runs {@code attempt} with the interrupt status cleared; after a close caused by an interrupt,
     * reopens the file and, when {@code retry}, tries again. The operation is named {@code op},
     * followed by {@code argument} unless it is negative (built only for a message: this runs for
     * every page read).
     */
    private <T> T run(String op, long argument, boolean retry, Attempt<T> attempt) {
      boolean interrupted = Thread.interrupted();
      try {
        for (int reopens = 0; ; reopens++) {
          FileChannel current = channel;
          try {
            return attempt.run(current);
          } catch (AsynchronousCloseException e) { // ClosedByInterruptException is one too
            interrupted |= Thread.interrupted();
            reopenAfterInterrupt(current, what(op, argument), reopens, e);
            if (!retry) {
              throw new UnavailableException(
                  what(op, argument)
                      + " on "
                      + path
                      + " was interrupted (Thread.interrupt); whether the writes before it reached"
                      + " the disk cannot be known",
                  e);
            }
          }
        }
      } catch (NonWritableChannelException e) {
        throw new UnavailableException(
            what(op, argument) + " failed on " + path + ": opened read-only", e);
      } catch (IOException e) {
        throw failure(what(op, argument), e);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private static String what(String op, long argument) {
      return argument < 0 ? op : op + " " + argument;
    }

    private synchronized void reopenAfterInterrupt(
        FileChannel broken, String what, int reopens, IOException cause) {
      if (closed) {
        throw new ClosedException(what + " failed on " + path + ": the file handle is closed");
      }
      if (reopens >= MAX_REOPENS) {
        throw new UnavailableException(
            what + " on " + path + " was interrupted " + reopens + " times in a row", cause);
      }
      if (channel == broken) {
        try {
          channel =
              writable
                  ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                  : FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
          UnavailableException failure =
              new UnavailableException(
                  "cannot reopen " + path + " after an interrupt closed it: " + e.getMessage(), e);
          failure.addSuppressed(cause);
          throw failure;
        }
      }
    }

    @Override
    public long size() {
      return run("size", -1, true, FileChannel::size);
    }

    @Override
    public int read(ByteBuffer target, long offset) {
      int start = target.position();
      return run(
          "read at offset",
          offset,
          true,
          c -> {
            while (target.hasRemaining()) {
              if (c.read(target, offset + target.position() - start) < 0) {
                break;
              }
            }
            return target.position() - start;
          });
    }

    @Override
    public void write(ByteBuffer source, long offset) {
      int start = source.position();
      run(
          "write at offset",
          offset,
          true,
          c -> {
            while (source.hasRemaining()) {
              c.write(source, offset + source.position() - start);
            }
            return null;
          });
    }

    @Override
    public void truncate(long size) {
      run("truncate to", size, true, c -> c.truncate(size));
    }

    @Override
    public void sync() {
      run(
          "fsync",
          -1,
          false,
          c -> {
            c.force(false);
            return null;
          });
    }

    @Override
    public synchronized void close() {
      closed = true;
      try {
        channel.close();
      } catch (IOException e) {
        throw failure("close", e);
      }
    }

    private VerityException failure(String what, IOException e) {
      if (e instanceof ClosedChannelException) {
        return new ClosedException(what + " failed on " + path + ": the file handle is closed");
      }
      return new UnavailableException(what + " failed on " + path + ": " + e.getMessage(), e);
    }
  }
}
