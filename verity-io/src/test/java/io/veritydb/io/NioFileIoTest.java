package io.veritydb.io;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class NioFileIoTest extends FileIoConformance {
  @TempDir Path dir;

  @Override
  protected FileIo io() {
    return NioFileIo.INSTANCE;
  }

  @Override
  protected Path root() {
    return dir;
  }
}
