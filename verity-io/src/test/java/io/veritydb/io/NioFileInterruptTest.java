package io.veritydb.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.types.ClosedException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FileChannel closes itself when a thread using it is interrupted. The real disk's handles must
 * outlive that: queries read the store file on the application's threads, and an application may
 * interrupt them.
 */
class NioFileInterruptTest {
  @TempDir Path dir;

  private static ByteBuffer block(int seed) {
    ByteBuffer b = ByteBuffer.allocate(4096);
    for (int i = 0; i < b.capacity(); i++) {
      b.put((byte) (seed * 31 + i));
    }
    return b.flip();
  }

  @Test
  void shouldWorkOnAnInterruptedThreadAndKeepItsInterruptStatus() {
    FileHandle h = NioFileIo.INSTANCE.open(dir.resolve("f"), FileIo.Mode.CREATE);
    try {
      Thread.currentThread().interrupt();
      h.write(block(1), 0);
      h.sync();
      ByteBuffer read = ByteBuffer.allocate(4096);
      assertEquals(4096, h.read(read, 0));
      assertEquals(block(1), read.flip());
      assertEquals(4096, h.size());
      h.truncate(100);
      assertEquals(100, h.size());
      assertTrue(Thread.interrupted(), "the caller's interrupt status is kept");
      // Nothing was closed on the way: the handle still works without an interrupt.
      h.write(block(2), 4096);
      assertEquals(8192, h.size());
    } finally {
      Thread.interrupted();
      h.close();
    }
  }

  @Test
  void shouldReadAndWriteCorrectlyWhileAnotherThreadInterruptsEveryOperation() throws Exception {
    FileHandle h = NioFileIo.INSTANCE.open(dir.resolve("f"), FileIo.Mode.CREATE);
    for (int i = 0; i < 64; i++) {
      h.write(block(i), i * 4096L);
    }
    h.sync();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong progress = new AtomicLong();
    Thread reader =
        new Thread(
            () -> {
              try {
                ByteBuffer b = ByteBuffer.allocate(4096);
                for (int n = 0; n < 20_000; n++) {
                  int i = n % 64;
                  b.clear();
                  assertEquals(4096, h.read(b, i * 4096L));
                  assertEquals(block(i), b.flip(), "block " + i);
                  if (n % 16 == 0) {
                    h.write(block(i), i * 4096L); // same bytes: positional writes retried
                  }
                  progress.incrementAndGet();
                }
              } catch (Throwable e) {
                failure.set(e);
              } finally {
                done.set(true);
              }
            },
            "reader");
    reader.start();
    while (!done.get()) {
      // One interrupt per operation of the reader: many land inside an operation, but never a run
      // of them in one operation, however slow the machine (the handle gives up after 16).
      long seen = progress.get();
      reader.interrupt();
      while (progress.get() == seen && !done.get()) {
        Thread.onSpinWait();
      }
    }
    reader.join();
    if (failure.get() != null) {
      throw new AssertionError("the interrupted reader failed", failure.get());
    }
    ByteBuffer b = ByteBuffer.allocate(4096);
    assertEquals(4096, h.read(b, 5 * 4096L));
    assertEquals(block(5), b.flip());
    h.close();
    assertThrows(ClosedException.class, () -> h.read(ByteBuffer.allocate(1), 0));
  }
}
