package io.veritydb.storage;

import io.veritydb.crypto.Blake3;
import io.veritydb.io.FileIo;
import io.veritydb.types.ChainHash;
import io.veritydb.types.CorruptionException;
import io.veritydb.types.UnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Opening a log: finds the segments, scans every record of every segment (structure, position, CRC,
 * hash chain, chain marks), rebuilds the offset index, and decides what a bad stretch means.
 *
 * <ul>
 *   <li>A bad stretch at the end of the last segment with nothing valid after it, or with only
 *       valid records of the same, last batch after it (a torn batch; see {@link TailInspector}),
 *       is a torn tail: cut off at its start (then synced) unless read-only.
 *   <li>Anything else — a bad record before the last segment's end, a broken chain, a gap between
 *       segment names, a missing first segment, a chain mark beyond the end or with another chain
 *       hash — is corruption: open fails naming segment, offset and position, unless read-only, in
 *       which case the log opens up to the damage and reports it.
 * </ul>
 */
final class Recovery {
  final List<Segment> segments = new ArrayList<>();
  ChainHash lastChain = Blake3.GENESIS;
  long lastPosition;
  Damage damage;
  ChainMarks marks;
  LogLimits limits;

  private Recovery() {}

  static Recovery run(FileIo io, Path dir, LogOptions options, Digester digester) {
    Recovery r = new Recovery();
    try {
      r.recover(io, dir, options, digester);
      return r;
    } catch (RuntimeException e) {
      r.closeAll();
      throw e;
    }
  }

  private void recover(FileIo io, Path dir, LogOptions options, Digester digester) {
    boolean readOnly = options.readOnly();
    if (!io.exists(dir)) {
      if (readOnly) {
        throw new UnavailableException("log directory " + dir + " does not exist");
      }
      io.createDirectories(dir);
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        io.syncDirectory(parent);
      }
    }
    marks = ChainMarks.open(io, dir, readOnly);
    TreeMap<Long, ChainHash> markedChain = new TreeMap<>();
    for (ChainMark m : marks.list()) {
      markedChain.put(m.position().value(), m.chainHash());
    }
    TreeMap<Long, Path> files = new TreeMap<>();
    for (Path p : io.list(dir)) {
      long first = Segment.parseFileName(p.getFileName().toString());
      if (first >= 0) {
        files.put(first, p);
      }
    }
    limits = LogLimits.settle(io, dir, options, !files.isEmpty());
    ChainMark newest = marks.last();
    long trustedUntil =
        options.openCheck() == LogOptions.OpenCheck.FROM_LAST_MARK && newest != null
            ? newest.position().value()
            : 0;
    SegmentScanner scanner =
        new SegmentScanner(limits.maxPayload(), digester, lastChain, markedChain, trustedUntil);
    TailInspector inspector = new TailInspector(limits.maxPayload(), limits.maxBatchBytes());
    long expected = 1;
    int index = 0;
    for (var file : files.entrySet()) {
      boolean last = ++index == files.size();
      if (file.getKey() != expected) {
        damage =
            new Damage(
                Damage.Kind.CORRUPTION,
                file.getValue(),
                0,
                expected,
                expected == 1
                    ? "the first segment (position 1) is missing; first found starts at position "
                        + file.getKey()
                    : "segment gap: expected a segment starting at position "
                        + expected
                        + ", found one starting at position "
                        + file.getKey());
        break;
      }
      Segment segment =
          new Segment(
              file.getValue(),
              file.getKey(),
              io.open(file.getValue(), readOnly ? FileIo.Mode.READ : FileIo.Mode.WRITE));
      segments.add(segment);
      SegmentScanner.Failure failure = scanner.scan(segment);
      expected = segment.nextPosition();
      if (failure != null) {
        damage = classify(segment, failure, last, inspector, scanner);
        break;
      }
    }
    lastPosition = expected - 1;
    lastChain = scanner.chain();
    if ((damage == null || damage.kind() == Damage.Kind.TORN_TAIL)
        && newest != null
        && newest.position().value() > lastPosition) {
      Segment tail = segments.isEmpty() ? null : segments.get(segments.size() - 1);
      damage =
          new Damage(
              Damage.Kind.CORRUPTION,
              tail == null ? dir : tail.path(),
              tail == null ? 0 : tail.end(),
              lastPosition + 1,
              "the log ends at position "
                  + lastPosition
                  + " but chain mark file "
                  + marks.path()
                  + " records position "
                  + newest.position().value()
                  + ": acknowledged records are missing");
    }
    if (damage != null && !readOnly) {
      if (damage.kind() == Damage.Kind.CORRUPTION) {
        throw new CorruptionException(damage.describe());
      }
      Segment tail = segments.get(segments.size() - 1);
      tail.handle().truncate(damage.offset());
      tail.handle().sync();
    }
    if (!readOnly) {
      // What recovery accepts may still sit unsynced in the OS cache (an fsync failed, the
      // process stopped, and the machine did not lose power). Make it durable before anything is
      // built on it, or a later power loss would take records the store has applied and later
      // appends depend on. Records up to the newest chain mark were synced before it was written,
      // so only segments holding later positions need it.
      long synced = newest == null ? 0 : newest.position().value();
      for (Segment segment : segments) {
        if (segment.nextPosition() - 1 > synced) {
          segment.handle().sync();
        }
      }
      marks.sync();
      io.syncDirectory(dir);
    }
  }

  private static Damage classify(
      Segment segment,
      SegmentScanner.Failure failure,
      boolean last,
      TailInspector inspector,
      SegmentScanner scanner) {
    String reason = failure.reason();
    Damage.Kind kind = Damage.Kind.CORRUPTION;
    if (!failure.certain() && !last) {
      reason += "; later segments follow";
    } else if (!failure.certain()) {
      TailInspector.Verdict verdict =
          inspector.inspect(
              segment.handle(),
              failure.offset(),
              failure.position(),
              failure.headed(),
              scanner.batchStart(),
              scanner.batchEndSeen());
      if (!verdict.corruption()) {
        kind = Damage.Kind.TORN_TAIL;
      }
      if (verdict.why() != null) {
        reason += "; " + verdict.why();
      }
    }
    return new Damage(kind, segment.path(), failure.offset(), failure.position(), reason);
  }

  void closeAll() {
    for (Segment s : segments) {
      s.close();
    }
    if (marks != null) {
      marks.close();
    }
  }
}
