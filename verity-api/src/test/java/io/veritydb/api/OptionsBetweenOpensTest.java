package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veritydb.storage.LogOptions;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options changed between opens never lose an acknowledged write: what decides how the log is read
 * is recorded in the directory and honoured by every later open and by verify.
 */
class OptionsBetweenOpensTest {
  @TempDir Path dir;

  @Test
  void shouldKeepARowWrittenUnderALargerMaxPayloadAcrossADefaultOpenAndVerify() {
    StringBuilder text = new StringBuilder(20 << 20);
    java.util.Random random = new java.util.Random(1);
    while (text.length() < (20 << 20)) {
      text.append((char) ('a' + random.nextInt(26))); // random letters: LZ4 cannot shrink them
    }
    String big = text.toString();
    try (Verity db =
        Verity.builder(dir).logOptions(LogOptions.builder().maxPayload(48 << 20).build()).open()) {
      TenantHandle t = db.tenant(TenantId.of(1));
      t.execute("CREATE TABLE docs (id BIGINT PRIMARY KEY, body TEXT)");
      t.execute("INSERT INTO docs (id, body) VALUES (?, ?)", 1L, big);
      assertEquals(2, db.lastPosition().value());
    }
    try (Verity db = Verity.open(dir)) {
      assertEquals(2, db.lastPosition().value(), "an acknowledged record was cut off");
      Rows rows = db.tenant(TenantId.of(1)).query("SELECT body FROM docs WHERE id = 1");
      assertEquals(big, rows.get(0).getString("body"));
      db.tenant(TenantId.of(1)).execute("INSERT INTO docs (id, body) VALUES (2, 'small')");
    }
    VerificationReport report = Verity.verify(dir, null, (phase, n) -> {});
    assertTrue(report.ok(), report.toString());
  }
}
