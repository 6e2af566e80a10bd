package io.veritydb.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.veritydb.io.NioFileIo;
import io.veritydb.simdisk.SimFileIo;
import io.veritydb.types.BadRequestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
  @TempDir Path dir;

  @Test
  void shouldRefuseToOpenAFileAsADataDirectory() throws IOException {
    Path file = Files.writeString(dir.resolve("data"), "a file");
    BadRequestException e =
        assertThrows(
            BadRequestException.class, () -> DataDirectory.checkOpenable(NioFileIo.INSTANCE, file));
    assertEquals(file + " is a file, not a data directory", e.getMessage());
    SimFileIo sim = new SimFileIo(2);
    Path simulated = Path.of("/sim/data");
    sim.createDirectories(simulated.getParent());
    sim.open(simulated, io.veritydb.io.FileIo.Mode.CREATE).close();
    BadRequestException onSim =
        assertThrows(BadRequestException.class, () -> DataDirectory.checkOpenable(sim, simulated));
    assertEquals(simulated + " is a file, not a data directory", onSim.getMessage());
  }

  @Test
  void shouldLetAnOpenCreateAMissingDirectoryOrUseAnExistingOne() {
    DataDirectory.checkOpenable(NioFileIo.INSTANCE, dir.resolve("missing"));
    DataDirectory.checkOpenable(NioFileIo.INSTANCE, dir);
    DataDirectory.checkOpenable(new SimFileIo(1), dir.resolve("anything"));
  }

  @Test
  void shouldSayWhyADirectoryCannotBeRead() throws IOException {
    assertEquals(
        dir.resolve("x") + " does not exist", DataDirectory.problemForReading(dir.resolve("x")));
    Path file = Files.writeString(dir.resolve("f"), "");
    assertEquals(file + " is not a directory", DataDirectory.problemForReading(file));
    assertEquals(
        dir + " is not a VerityDB data directory: it has no log/ directory",
        DataDirectory.problemForReading(dir));
    Files.createDirectories(dir.resolve("log"));
    assertEquals(null, DataDirectory.problemForReading(dir));
  }
}
