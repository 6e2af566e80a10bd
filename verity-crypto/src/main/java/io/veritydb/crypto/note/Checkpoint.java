package io.veritydb.crypto.note;

import io.veritydb.types.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A C2SP tlog-checkpoint body: origin line, tree size line (canonical decimal), root hash line
 * (base64 of the 32-byte RFC 6962 root), then optional non-empty extension lines.
 *
 * <p>VerityDB carries two extension lines, always in this order, each at most once:
 *
 * <pre>
 *   veritydb chain &lt;64 lowercase hex digits: BLAKE3 chain hash after the last record in the tree&gt;
 *   veritydb time-us &lt;canonical decimal: the record time of that record, microseconds since 1970&gt;
 * </pre>
 *
 * A line starting with {@code "veritydb "} that is not one of these is refused; any other extension
 * line is kept opaque, as the spec requires.
 */
public final class Checkpoint {
  static final String CHAIN_PREFIX = "veritydb chain ";
  static final String TIME_PREFIX = "veritydb time-us ";
  private static final String OWN_PREFIX = "veritydb ";
  private static final int MAX_EXTENSIONS = 16;

  private final String origin;
  private final long size;
  private final byte[] rootHash;
  private final List<String> extensions;

  private Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
    this.origin = origin;
    this.size = size;
    this.rootHash = rootHash;
    this.extensions = List.copyOf(extensions);
  }

  /** A checkpoint with the given extension lines (each non-empty, without newline). */
  public static Checkpoint of(String origin, long size, byte[] rootHash, List<String> extensions) {
    Checks.checkNotNull(origin, "origin");
    Checks.checkNotNull(rootHash, "rootHash");
    Checks.checkNotNull(extensions, "extensions");
    checkLine(origin, "checkpoint origin");
    extensions.forEach(e -> checkLine(e, "checkpoint extension line"));
    StringBuilder body = new StringBuilder();
    body.append(origin).append('\n').append(size).append('\n');
    body.append(NoteText.base64(rootHash)).append('\n');
    extensions.forEach(e -> body.append(e).append('\n'));
    return parseBody(body.toString());
  }

  private static void checkLine(String line, String what) {
    Checks.checkNotNull(line, what);
    if (line.isEmpty() || line.indexOf('\n') >= 0) {
      throw new NoteException(what + " must be one non-empty line: \"" + line + "\"");
    }
  }

  /** A VerityDB checkpoint: origin, size, root, and the chain hash and time extension lines. */
  public static Checkpoint veritydb(
      String origin, long size, byte[] rootHash, byte[] chainHash, long timeMicros) {
    Checks.checkNotNull(chainHash, "chainHash");
    if (chainHash.length != 32) {
      throw new NoteException("chain hash must be 32 bytes, was " + chainHash.length);
    }
    return of(
        origin,
        size,
        rootHash,
        List.of(CHAIN_PREFIX + HexFormat.of().formatHex(chainHash), TIME_PREFIX + timeMicros));
  }

  /** Parses a checkpoint body (the note text, final newline included). */
  public static Checkpoint parseBody(String text) {
    Checks.checkNotNull(text, "text");
    NoteText.checkNoControl(text, "checkpoint");
    if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
      throw new NoteException("checkpoint must end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw new NoteException(
          "checkpoint needs an origin, a tree size and a root hash line, has " + lines.length);
    }
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        throw new NoteException("checkpoint line " + (i + 1) + " is empty");
      }
    }
    long size = NoteText.decimal(lines[1], "checkpoint tree size");
    byte[] root = NoteText.base64(lines[2], "checkpoint root hash");
    if (root.length != 32) {
      throw new NoteException("checkpoint root hash must be 32 bytes, was " + root.length);
    }
    List<String> ext = new ArrayList<>(Arrays.asList(lines).subList(3, lines.length));
    if (ext.size() > MAX_EXTENSIONS) {
      throw new NoteException("checkpoint has more than " + MAX_EXTENSIONS + " extension lines");
    }
    checkOwnExtensions(ext);
    return new Checkpoint(lines[0], size, root, ext);
  }

  private static void checkOwnExtensions(List<String> ext) {
    int chain = -1;
    int time = -1;
    for (int i = 0; i < ext.size(); i++) {
      String line = ext.get(i);
      if (!line.startsWith(OWN_PREFIX)) {
        continue;
      }
      if (line.startsWith(CHAIN_PREFIX) && chain < 0) {
        String hex = line.substring(CHAIN_PREFIX.length());
        if (hex.length() != 64 || !hex.matches("[0-9a-f]{64}")) {
          throw new NoteException("checkpoint chain hash must be 64 lowercase hex digits: " + hex);
        }
        chain = i;
      } else if (line.startsWith(TIME_PREFIX) && time < 0) {
        NoteText.decimal(line.substring(TIME_PREFIX.length()), "checkpoint time-us");
        time = i;
      } else {
        throw new NoteException("unknown or repeated VerityDB checkpoint line: " + line);
      }
    }
    if (chain >= 0 && time >= 0 && time < chain) {
      throw new NoteException("checkpoint line \"veritydb chain\" must come before \"time-us\"");
    }
  }

  /**
   * Parses and verifies a signed checkpoint: the note's signatures against {@code trusted} (see
   * {@link SignedNote#verify}), then the body, then that the origin is {@code expectedOrigin}.
   */
  public static Checkpoint open(
      byte[] signedNote, String expectedOrigin, Collection<NoteVerifier> trusted) {
    Checks.checkNotNull(expectedOrigin, "expectedOrigin");
    SignedNote note = SignedNote.open(signedNote, trusted);
    Checkpoint c = parseBody(note.text());
    if (!c.origin.equals(expectedOrigin)) {
      throw new NoteException(
          "checkpoint origin \"" + c.origin + "\" is not the expected \"" + expectedOrigin + "\"");
    }
    return c;
  }

  /** The signed note of this checkpoint; the log's key name should be the origin. */
  public SignedNote sign(List<NoteSigner> signers) {
    return SignedNote.sign(body(), signers);
  }

  /** The note text: the lines, each ending in a newline. */
  public String body() {
    StringBuilder b = new StringBuilder();
    b.append(origin).append('\n').append(size).append('\n');
    b.append(NoteText.base64(rootHash)).append('\n');
    extensions.forEach(e -> b.append(e).append('\n'));
    return b.toString();
  }

  public String origin() {
    return origin;
  }

  public long size() {
    return size;
  }

  /** A copy of the 32-byte root hash. */
  public byte[] rootHash() {
    return rootHash.clone();
  }

  public List<String> extensions() {
    return extensions;
  }

  /** The {@code veritydb chain} extension, when present. */
  public Optional<byte[]> chainHash() {
    for (String e : extensions) {
      if (e.startsWith(CHAIN_PREFIX)) {
        return Optional.of(HexFormat.of().parseHex(e.substring(CHAIN_PREFIX.length())));
      }
    }
    return Optional.empty();
  }

  /** The {@code veritydb time-us} extension, when present. */
  public OptionalLong timeMicros() {
    for (String e : extensions) {
      if (e.startsWith(TIME_PREFIX)) {
        return OptionalLong.of(Long.parseLong(e.substring(TIME_PREFIX.length())));
      }
    }
    return OptionalLong.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c && body().equals(c.body());
  }

  @Override
  public int hashCode() {
    return body().hashCode();
  }

  @Override
  public String toString() {
    return body();
  }
}
