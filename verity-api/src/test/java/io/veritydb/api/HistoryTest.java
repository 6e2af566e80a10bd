package io.veritydb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.veritydb.types.BadRequestException;
import io.veritydb.types.TenantId;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
  @TempDir Path dir;

  @Test
  void shouldListEveryVersionOfARowWithWhoAndWhenAlsoAfterDelete() {
    try (Verity db = Verity.open(dir)) {
      TenantHandle admin = db.tenant(TenantId.of(1), "admin");
      admin.execute("CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT, ward INT)");
      admin.execute("INSERT INTO p (id, name, ward) VALUES (1, 'Ada', 3), (2, 'Bob', 4)");
      db.tenant(TenantId.of(1), "nurse").execute("UPDATE p SET ward = 5 WHERE id = 1");
      db.tenant(TenantId.of(1), "doctor").execute("UPDATE p SET name = 'Ada L.' WHERE ward = 5");
      admin.execute("DELETE FROM p WHERE id = 1");
      admin.execute("INSERT INTO p (id, name, ward) VALUES (1, 'Ada again', 1)");
    }
    try (Verity db = Verity.open(dir)) {
      TenantHandle t = db.tenant(TenantId.of(1));
      List<RowVersion> versions = t.history("p", 1L);
      assertEquals(5, versions.size(), versions.toString());
      assertEquals(
          List.of("INSERT", "UPDATE", "UPDATE", "DELETE", "INSERT"),
          versions.stream().map(RowVersion::operation).toList());
      assertEquals(
          List.of("admin", "nurse", "doctor", "admin", "admin"),
          versions.stream().map(RowVersion::actor).toList());
      assertEquals(5, versions.get(1).values().get("ward"));
      assertEquals("Ada L.", versions.get(2).values().get("name"));
      assertNull(versions.get(3).values());
      assertEquals("Ada again", versions.get(4).values().get("name"));
      assertEquals(1, t.history("p", 2).size(), "an INT literal names a BIGINT key too");
      assertEquals(0, t.history("p", 99L).size());
      assertThrows(BadRequestException.class, () -> t.history("nope", 1L));
      assertThrows(BadRequestException.class, () -> t.history("p"));
      assertThrows(BadRequestException.class, () -> t.history("p", "text"));
      assertThrows(
          BadRequestException.class,
          () -> db.tenant(TenantId.of(2)).history("p", 1L),
          "another tenant does not even see the table");
    }
  }
}
