package io.veritydb.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Every case of Wycheproof's ed25519_test.json: valid accepted, invalid rejected. */
class Ed25519WycheproofTest {
  @Test
  void shouldAcceptEveryValidAndRejectEveryInvalidWycheproofCase() {
    JsonNode file = Vectors.load("wycheproof_ed25519_test.json");
    int total = 0;
    int valid = 0;
    int invalid = 0;
    StringBuilder failures = new StringBuilder();
    for (JsonNode group : file.get("testGroups")) {
      byte[] publicKey = Vectors.hex(group.get("publicKey").get("pk"));
      for (JsonNode c : group.get("tests")) {
        total++;
        boolean expected = c.get("result").asText().equals("valid");
        boolean actual;
        try {
          actual = Ed25519.verify(publicKey, Vectors.hex(c.get("msg")), Vectors.hex(c.get("sig")));
        } catch (RuntimeException e) {
          actual = false;
          if (expected) {
            failures.append("tcId ").append(c.get("tcId")).append(" threw ").append(e).append('\n');
          }
        }
        if (expected) {
          valid++;
        } else {
          invalid++;
        }
        if (actual != expected) {
          failures
              .append("tcId ")
              .append(c.get("tcId"))
              .append(" (")
              .append(c.get("comment").asText())
              .append(") expected ")
              .append(expected)
              .append('\n');
        }
      }
    }
    assertEquals("", failures.toString());
    assertEquals(file.get("numberOfTests").asInt(), total, "every case ran");
    assertEquals(total, valid + invalid);
  }
}
