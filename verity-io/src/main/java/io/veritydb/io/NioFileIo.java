package io.veritydb.io;

import io.veritydb.types.ClosedException;
import io.veritydb.types.UnavailableException;
import io.veritydb.types.VerityException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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
      return new NioFileHandle(path, FileChannel.open(path, options));
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

  @Override
  public void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw new UnavailableException("cannot sync directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static final class NioFileHandle implements FileHandle {
    private final Path path;
    private final FileChannel channel;

    NioFileHandle(Path path, FileChannel channel) {
      this.path = path;
      this.channel = channel;
    }

    @Override
    public long size() {
      try {
        return channel.size();
      } catch (IOException e) {
        throw failure("size", e);
      }
    }

    @Override
    public int read(ByteBuffer target, long offset) {
      int total = 0;
      try {
        while (target.hasRemaining()) {
          int n = channel.read(target, offset + total);
          if (n < 0) {
            break;
          }
          total += n;
        }
        return total;
      } catch (IOException e) {
        throw failure("read at offset " + offset, e);
      }
    }

    @Override
    public void write(ByteBuffer source, long offset) {
      long at = offset;
      try {
        while (source.hasRemaining()) {
          at += channel.write(source, at);
        }
      } catch (NonWritableChannelException e) {
        throw new UnavailableException(
            "write at offset " + offset + " failed on " + path + ": opened read-only", e);
      } catch (IOException e) {
        throw failure("write at offset " + offset, e);
      }
    }

    @Override
    public void truncate(long size) {
      try {
        channel.truncate(size);
      } catch (NonWritableChannelException e) {
        throw new UnavailableException(
            "truncate to " + size + " failed on " + path + ": opened read-only", e);
      } catch (IOException e) {
        throw failure("truncate to " + size, e);
      }
    }

    @Override
    public void sync() {
      try {
        channel.force(false);
      } catch (IOException e) {
        throw failure("fsync", e);
      }
    }

    @Override
    public void close() {
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
