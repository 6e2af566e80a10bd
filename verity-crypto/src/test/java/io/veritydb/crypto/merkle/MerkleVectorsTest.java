package io.veritydb.crypto.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs every case of transparency-dev/merkle's testdata (copied to
 * src/test/resources/vectors/merkle, see the README there): valid cases verify, wantErr cases are
 * rejected.
 */
class MerkleVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldAcceptEveryValidAndRejectEveryWantErrInclusionCase() throws IOException {
    List<Path> files = cases("inclusion");
    assertEquals(98, files.size(), "inclusion cases found");
    List<String> failures = new ArrayList<>();
    for (Path file : files) {
      JsonNode c = JSON.readTree(file.toFile());
      Optional<String> result =
          MerkleVerifier.checkInclusion(
              bytes(c.get("leafHash")),
              unsigned(c.get("leafIdx")),
              unsigned(c.get("treeSize")),
              hashes(c.get("proof")),
              bytes(c.get("root")));
      expect(file, c, result, failures);
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void shouldAcceptEveryValidAndRejectEveryWantErrConsistencyCase() throws IOException {
    List<Path> files = cases("consistency");
    assertEquals(98, files.size(), "consistency cases found");
    List<String> failures = new ArrayList<>();
    for (Path file : files) {
      JsonNode c = JSON.readTree(file.toFile());
      Optional<String> result =
          MerkleVerifier.checkConsistency(
              unsigned(c.get("size1")),
              unsigned(c.get("size2")),
              hashes(c.get("proof")),
              bytes(c.get("root1")),
              bytes(c.get("root2")));
      expect(file, c, result, failures);
    }
    assertEquals(List.of(), failures);
  }

  /** Subtree cases starting at leaf 0 over a non-empty subtree are plain RFC 6962 proofs. */
  @Test
  void shouldAgreeWithSubtreeInclusionCasesThatStartAtLeafZero() throws IOException {
    List<String> failures = new ArrayList<>();
    int run = 0;
    int skipped = 0;
    for (Path file : cases("subtreeinclusion")) {
      JsonNode c = JSON.readTree(file.toFile());
      long start = unsigned(c.get("start"));
      long end = unsigned(c.get("end"));
      if (start != 0 || end <= 0) {
        skipped++;
        continue;
      }
      run++;
      Optional<String> result =
          MerkleVerifier.checkInclusion(
              bytes(c.get("leafHash")),
              unsigned(c.get("leafIdx")),
              end,
              hashes(c.get("proof")),
              bytes(c.get("root")));
      expect(file, c, result, failures);
    }
    System.out.println("subtree inclusion cases: run " + run + ", skipped " + skipped);
    assertTrue(run >= 50, "run " + run);
    assertEquals(List.of(), failures);
  }

  @Test
  void shouldAgreeWithSubtreeConsistencyCasesThatStartAtLeafZero() throws IOException {
    List<String> failures = new ArrayList<>();
    int run = 0;
    int skipped = 0;
    for (Path file : cases("subtreeconsistency")) {
      JsonNode c = JSON.readTree(file.toFile());
      long start = unsigned(c.get("start"));
      long end = unsigned(c.get("end"));
      if (start != 0 || end <= 0) {
        skipped++;
        continue;
      }
      run++;
      Optional<String> result =
          MerkleVerifier.checkConsistency(
              end,
              unsigned(c.get("size")),
              hashes(c.get("proof")),
              bytes(c.get("root1")),
              bytes(c.get("root2")));
      expect(file, c, result, failures);
    }
    System.out.println("subtree consistency cases: run " + run + ", skipped " + skipped);
    assertTrue(run >= 50, "run " + run);
    assertEquals(List.of(), failures);
  }

  private static void expect(
      Path file, JsonNode c, Optional<String> result, List<String> failures) {
    boolean wantErr = c.get("wantErr").asBoolean();
    if (wantErr != result.isPresent()) {
      failures.add(
          file.getParent().getFileName()
              + "/"
              + file.getFileName()
              + " wantErr="
              + wantErr
              + " got="
              + result);
    }
  }

  private static List<Path> cases(String dir) throws IOException {
    URL url = MerkleVectorsTest.class.getResource("/vectors/merkle/testdata/" + dir);
    if (url == null) {
      throw new IllegalStateException("missing test resource vectors/merkle/testdata/" + dir);
    }
    try (Stream<Path> walk = Files.walk(Path.of(url.toURI()))) {
      return walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** JSON numbers are Go uint64; values of 2^63 and more become negative longs (refused). */
  private static long unsigned(JsonNode n) {
    return Long.parseUnsignedLong(n.asText());
  }

  private static byte[] bytes(JsonNode n) {
    return n == null || n.isNull() ? null : Base64.getDecoder().decode(n.asText());
  }

  private static List<byte[]> hashes(JsonNode n) {
    List<byte[]> out = new ArrayList<>();
    if (n != null && !n.isNull()) {
      n.forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
    }
    return out;
  }
}
