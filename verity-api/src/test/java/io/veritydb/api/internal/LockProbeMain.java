package io.veritydb.api.internal;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Run in a child JVM by {@link DirectoryLockTest}: prints "free" when it can take a shared lock on
 * the lock file given as its argument, "held" when another process holds it.
 */
public final class LockProbeMain {
  private LockProbeMain() {}

  public static void main(String[] args) throws Exception {
    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ)) {
      FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
      System.out.println(lock == null ? "held" : "free");
    }
  }
}
