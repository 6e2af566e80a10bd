package io.veritydb.crypto.note;

import io.veritydb.crypto.merkle.MerkleHash;
import io.veritydb.crypto.merkle.MerkleVerifier;
import io.veritydb.types.Checks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A C2SP tlog-proof: an offline proof that a leaf is in a log, as text.
 *
 * <pre>
 *   c2sp.org/tlog-proof@v1
 *   extra &lt;base64 opaque data&gt;          (optional)
 *   index &lt;leaf index, canonical decimal&gt;
 *   &lt;base64 inclusion proof hash&gt;          (zero or more, leaf's sibling first)
 *   (empty line)
 *   &lt;signed checkpoint, verbatim&gt;
 * </pre>
 *
 * VerityDB puts the leaf data (the bytes whose RFC 6962 leaf hash is in the tree) in {@code extra},
 * so the proof is self-contained: {@link #verifyLeafData} hashes it, verifies the checkpoint's
 * signature and the inclusion proof. Unauthenticated on its own, the extra data is bound by that
 * check.
 */
public final class TlogProof {
  public static final String HEADER = "c2sp.org/tlog-proof@v1";
  private static final String EXTRA = "extra ";
  private static final String INDEX = "index ";
  private static final int MAX_HASHES = 63;

  /** The largest proof accepted, in bytes (the extra line carries a whole log record). */
  public static final int MAX_BYTES = 64 << 20;

  private final byte[] extra;
  private final long index;
  private final List<byte[]> hashes;
  private final byte[] checkpoint;

  private TlogProof(byte[] extra, long index, List<byte[]> hashes, byte[] checkpoint) {
    this.extra = extra;
    this.index = index;
    this.hashes = hashes;
    this.checkpoint = checkpoint;
  }

  /**
   * A proof of leaf {@code index} with its inclusion {@code proof} in the tree of {@code
   * signedCheckpoint}; {@code extra} may be null (no extra line).
   */
  public static TlogProof of(
      byte[] extra, long index, List<byte[]> proof, SignedNote signedCheckpoint) {
    Checks.checkNotNull(proof, "proof");
    Checks.checkNotNull(signedCheckpoint, "signedCheckpoint");
    Checks.checkArgument(index >= 0, "index", index);
    Checks.checkArgument(proof.size() <= MAX_HASHES, "proofSize", proof.size());
    List<byte[]> copy = new ArrayList<>();
    for (byte[] h : proof) {
      Checks.checkArgument(h != null && h.length == MerkleHash.LENGTH, "a proof hash of 32 bytes");
      copy.add(h.clone());
    }
    Checkpoint.parseBody(signedCheckpoint.text());
    return new TlogProof(
        extra == null ? null : extra.clone(), index, List.copyOf(copy), signedCheckpoint.toBytes());
  }

  /** Parses the text of a proof (no signature or hash is checked). */
  public static TlogProof parse(byte[] proof) {
    Checks.checkNotNull(proof, "proof");
    if (proof.length > MAX_BYTES) {
      throw new NoteException("tlog proof is " + proof.length + " bytes, more than " + MAX_BYTES);
    }
    String s = NoteText.utf8(proof, "tlog proof");
    int at = 0;
    int end = s.indexOf('\n', at);
    if (end < 0 || !s.substring(at, end).equals(HEADER)) {
      throw new NoteException("tlog proof must start with the line " + HEADER);
    }
    at = end + 1;
    end = s.indexOf('\n', at);
    if (end < 0) {
      throw new NoteException("tlog proof ends after its header line");
    }
    byte[] extra = null;
    String line = s.substring(at, end);
    if (line.startsWith(EXTRA)) {
      extra = NoteText.base64(line.substring(EXTRA.length()), "tlog proof extra data");
      at = end + 1;
      end = s.indexOf('\n', at);
      line = end < 0 ? "" : s.substring(at, end);
    }
    if (end < 0 || !line.startsWith(INDEX)) {
      throw new NoteException("tlog proof needs an \"index <n>\" line after the header");
    }
    long index = NoteText.decimal(line.substring(INDEX.length()), "tlog proof index");
    List<byte[]> hashes = new ArrayList<>();
    for (at = end + 1; ; at = end + 1) {
      end = s.indexOf('\n', at);
      if (end < 0) {
        throw new NoteException("tlog proof has no empty line before its checkpoint");
      }
      if (end == at) {
        break;
      }
      if (hashes.size() == MAX_HASHES) {
        throw new NoteException("tlog proof has more than " + MAX_HASHES + " hashes");
      }
      byte[] h =
          NoteText.base64(
              s.substring(at, end),
              "tlog proof hash "
                  + hashes.size()
                  + " (hash lines must be followed by an empty line and the checkpoint)");
      if (h.length != MerkleHash.LENGTH) {
        throw new NoteException(
            "tlog proof hash " + hashes.size() + " is " + h.length + " bytes, not 32");
      }
      hashes.add(h);
    }
    byte[] checkpoint = s.substring(end + 1).getBytes(StandardCharsets.UTF_8);
    SignedNote.parse(checkpoint);
    return new TlogProof(extra, index, List.copyOf(hashes), checkpoint);
  }

  /**
   * Verifies the proof for a leaf hash computed by the caller: the checkpoint's origin and
   * signature, then the inclusion of {@code leafHash} at {@link #index()} under its root.
   */
  public Checkpoint verify(byte[] leafHash, String origin, Collection<NoteVerifier> trusted) {
    Checks.checkNotNull(leafHash, "leafHash");
    Checkpoint c = Checkpoint.open(checkpoint, origin, trusted);
    Optional<String> bad =
        MerkleVerifier.checkInclusion(leafHash, index, c.size(), hashes, c.rootHash());
    if (bad.isPresent()) {
      throw new NoteException(
          "leaf "
              + index
              + " is not proven in the checkpoint of size "
              + c.size()
              + ": "
              + bad.get());
    }
    return c;
  }

  /** Verifies the proof for the leaf data in the extra line, hashed as SHA-256(0x00 || data). */
  public Checkpoint verifyLeafData(String origin, Collection<NoteVerifier> trusted) {
    if (extra == null) {
      throw new NoteException("tlog proof has no extra line with the leaf data");
    }
    return verify(MerkleHash.leafHash(extra), origin, trusted);
  }

  /** The proof as text. */
  public String encode() {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    if (extra != null) {
      b.append(EXTRA).append(NoteText.base64(extra)).append('\n');
    }
    b.append(INDEX).append(index).append('\n');
    hashes.forEach(h -> b.append(NoteText.base64(h)).append('\n'));
    b.append('\n').append(new String(checkpoint, StandardCharsets.UTF_8));
    return b.toString();
  }

  public byte[] toBytes() {
    return encode().getBytes(StandardCharsets.UTF_8);
  }

  /** A copy of the extra data, empty when the proof has no extra line. */
  public Optional<byte[]> extra() {
    return extra == null ? Optional.empty() : Optional.of(extra.clone());
  }

  public long index() {
    return index;
  }

  /** Copies of the inclusion proof hashes. */
  public List<byte[]> hashes() {
    List<byte[]> out = new ArrayList<>();
    hashes.forEach(h -> out.add(h.clone()));
    return out;
  }

  /** The signed checkpoint (unverified until {@link #verify}). */
  public SignedNote checkpoint() {
    return SignedNote.parse(checkpoint);
  }

  @Override
  public String toString() {
    return encode();
  }
}
