package io.veritydb.architecture.planted;

import io.veritydb.io.FileIo;
import io.veritydb.io.ForwardingFileIo;
import io.veritydb.io.NioFileIo;
import io.veritydb.simdisk.SimFileIo;
import java.nio.file.Path;

/** Main-code shapes that decide behaviour by which FileIo they were given. */
public final class PlantedFileIoChoice {
  private PlantedFileIoChoice() {}

  /** Skips a step on the real disk. */
  public static final class InstanceofNio {
    static boolean needsLock(FileIo io) {
      return !(io instanceof NioFileIo);
    }
  }

  /** Unwraps a wrapper (a pattern-matching instanceof). */
  public static final class InstanceofWrapper {
    static String describe(FileIo io) {
      if (io instanceof ForwardingFileIo wrapper) {
        return "wrapped " + wrapper;
      }
      return "plain";
    }
  }

  /** Compares the class of the FileIo it was given. */
  public static final class ComparesClass {
    static boolean simulated(FileIo io) {
      return io.getClass() == SimFileIo.class;
    }
  }

  /** Builds the simulated disk in production code. */
  public static final class UsesSimFileIo {
    static FileIo disk() {
      return new SimFileIo(1);
    }
  }

  /** Reaches for the real disk instead of using the FileIo it was given. */
  public static final class ReadsNioInstance {
    static boolean exists(Path p) {
      return NioFileIo.INSTANCE.exists(p);
    }
  }

  /** Uses the FileIo it was given, whatever it is: every FileIo rule accepts it. */
  public static final class UsesGivenFileIo {
    static boolean exists(FileIo io, Path p) {
      return io.exists(p);
    }
  }
}
