package io.veritydb.crypto.merkle;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.Checks;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The plain text form of a proof, as {@code verity prove --consistency-from N} prints it: one
 * standard padded base64 SHA-256 hash per line, each line ending in {@code \n}, in RFC 6962 order
 * (the order {@link MerkleTree} returns and {@link MerkleVerifier} expects). An empty proof is the
 * empty string.
 */
public final class ProofText {
  private ProofText() {}

  /** One base64 hash per line. */
  public static String encode(List<byte[]> hashes) {
    Checks.checkNotNull(hashes, "hashes");
    StringBuilder b = new StringBuilder();
    for (byte[] h : hashes) {
      MerkleHash.checkHash(h, "hash");
      b.append(Base64.getEncoder().encodeToString(h)).append('\n');
    }
    return b.toString();
  }

  /** Parses {@link #encode}'s form strictly: canonical base64 of 32 bytes, {@code \n} endings. */
  public static List<byte[]> parse(String text) {
    Checks.checkNotNull(text, "text");
    List<byte[]> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    if (text.charAt(text.length() - 1) != '\n') {
      throw new BadRequestException("proof text must end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length > MerkleHash.MAX_LEVELS) {
      throw new BadRequestException(
          "proof has " + lines.length + " lines, more than any tree needs");
    }
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      byte[] h;
      try {
        h = Base64.getDecoder().decode(line);
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("proof line " + (i + 1) + " is not base64: " + line, e);
      }
      if (h.length != MerkleHash.LENGTH || !Base64.getEncoder().encodeToString(h).equals(line)) {
        throw new BadRequestException(
            "proof line " + (i + 1) + " is not the padded base64 of a 32-byte hash: " + line);
      }
      out.add(h);
    }
    return out;
  }
}
