package io.veritydb.crypto;

import io.veritydb.io.FileHandle;
import io.veritydb.io.FileIo;
import io.veritydb.types.Checks;
import io.veritydb.types.ClosedException;
import io.veritydb.types.TenantId;
import io.veritydb.types.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * A {@link KeyStore} in one file, {@value #FILE_NAME}, inside a directory, with every file
 * operation going through {@link FileIo} (so tests and the simulator can inject faults).
 *
 * <p>Each {@link #put} writes the whole store (format: {@link KeyStoreLayout}, checksummed) to
 * {@value #TEMP_NAME}, fsyncs it, renames it over {@value #FILE_NAME} and fsyncs the directory. The
 * rename is the commit point: a crash before it leaves the old file (and perhaps a stray temp file,
 * which open deletes: it was never committed); after it, the new file. The store is small (80 bytes
 * per key version), and writes are rare (key creation, rotation, shredding, one nonce lease per
 * {@link KeyManager#DEFAULT_NONCE_LEASE} encryptions of a tenant), so rewriting it is cheap.
 *
 * <p>If a write fails the store refuses every further call ({@link UnavailableException}): the disk
 * then holds either the old or the new contents and only reopening can tell which. A damaged file
 * is a {@link io.veritydb.types.CorruptionException} naming it; it is never skipped or reset.
 *
 * <p>Thread-safe (every method holds this object's lock).
 */
public final class FileKeyStore implements KeyStore {
  public static final String FILE_NAME = "keys.vks";
  public static final String TEMP_NAME = "keys.vks.tmp";

  private final FileIo io;
  private final Path directory;
  private final Path file;
  private final Path temp;
  private TreeMap<TenantId, TenantKeyRecord> records;
  private long generation;
  private RuntimeException failure;
  private boolean closed;

  private FileKeyStore(FileIo io, Path directory) {
    this.io = io;
    this.directory = directory;
    this.file = directory.resolve(FILE_NAME);
    this.temp = directory.resolve(TEMP_NAME);
  }

  /** Opens (or starts empty, writing nothing until the first put) the key store in {@code dir}. */
  public static FileKeyStore open(FileIo io, Path directory) {
    Checks.checkNotNull(io, "io");
    Checks.checkNotNull(directory, "directory");
    FileKeyStore store = new FileKeyStore(io, directory);
    store.load();
    return store;
  }

  private void load() {
    io.createDirectories(directory);
    if (io.exists(temp)) {
      // A write that crashed before its rename: never committed, so never authoritative.
      io.delete(temp);
      io.syncDirectory(directory);
    }
    records = new TreeMap<>();
    generation = 0;
    if (!io.exists(file)) {
      return;
    }
    KeyStoreLayout.Contents contents = read();
    generation = contents.generation();
    for (TenantKeyRecord r : contents.records()) {
      records.put(r.tenant(), r);
    }
  }

  private KeyStoreLayout.Contents read() {
    try (FileHandle handle = io.open(file, FileIo.Mode.READ)) {
      long size = handle.size();
      byte[] header = new byte[KeyStoreLayout.HEADER];
      if (size >= KeyStoreLayout.HEADER) {
        readFully(handle, header, 0);
      }
      int body = KeyStoreLayout.bodyLength(header, size, file);
      byte[] all = new byte[KeyStoreLayout.HEADER + body + KeyStoreLayout.TRAILER];
      readFully(handle, all, 0);
      return KeyStoreLayout.decode(all, file);
    }
  }

  private void readFully(FileHandle handle, byte[] target, long offset) {
    int n = handle.read(ByteBuffer.wrap(target), offset);
    if (n != target.length) {
      throw KeyStoreLayout.corrupt(file, offset + n, "ended early while reading " + target.length);
    }
  }

  @Override
  public synchronized TenantKeyRecord get(TenantId tenant) {
    checkUsable();
    return records.get(Checks.checkNotNull(tenant, "tenant"));
  }

  @Override
  public synchronized List<TenantId> tenants() {
    checkUsable();
    return new ArrayList<>(records.keySet());
  }

  @Override
  public synchronized void put(TenantKeyRecord record) {
    Checks.checkNotNull(record, "record");
    putAll(List.of(record));
  }

  @Override
  public synchronized void putAll(Collection<TenantKeyRecord> batch) {
    Checks.checkNotNull(batch, "records");
    checkUsable();
    TreeMap<TenantId, TenantKeyRecord> next = new TreeMap<>(records);
    for (TenantKeyRecord record : batch) {
      next.put(Checks.checkNotNull(record, "record").tenant(), record);
    }
    byte[] bytes = KeyStoreLayout.encode(generation + 1, next.values());
    try {
      write(bytes);
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
    records = next;
    generation++;
  }

  private void write(byte[] bytes) {
    if (io.exists(temp)) {
      io.delete(temp);
    }
    try (FileHandle handle = io.open(temp, FileIo.Mode.CREATE)) {
      handle.truncate(0);
      handle.write(ByteBuffer.wrap(bytes), 0);
      handle.sync();
    }
    io.rename(temp, file); // the commit point
    io.syncDirectory(directory);
    Path parent = directory.toAbsolutePath().getParent();
    if (generation == 0 && parent != null) {
      // The first commit of a new store: make the store directory's own entry durable too.
      io.syncDirectory(parent);
    }
  }

  /** The number of committed writes since the store was created (diagnostics). */
  public synchronized long generation() {
    return generation;
  }

  /** The store's file. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void checkUsable() {
    if (closed) {
      throw new ClosedException("key store " + file + " is closed");
    }
    if (failure != null) {
      throw new UnavailableException(
          "key store "
              + file
              + " failed during a write and refuses further use; reopen it to read what is"
              + " durable: "
              + failure.getMessage(),
          failure);
    }
  }
}
