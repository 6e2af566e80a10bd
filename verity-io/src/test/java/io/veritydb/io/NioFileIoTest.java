package io.veritydb.io;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class NioFileIoTest extends FileIoConformance {
  @TempDir Path dir;

  @Override
  FileIo io() {
    return NioFileIo.INSTANCE;
  }

  @Override
  Path root() {
    return dir;
  }
}
