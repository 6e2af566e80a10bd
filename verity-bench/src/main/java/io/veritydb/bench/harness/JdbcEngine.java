package io.veritydb.bench.harness;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A peer engine through JDBC at its durable setting.
 *
 * <ul>
 *   <li>SQLite: WAL journal, {@code synchronous=FULL} (fsync of the WAL at every commit), {@code id
 *       INTEGER PRIMARY KEY} (the rowid), busy timeout 60 s so that concurrent writers wait their
 *       turn instead of failing: SQLite has one writer at a time.
 *   <li>HSQLDB: file database, CACHED tables, {@code SET FILES WRITE DELAY FALSE} (the log is
 *       synced at every commit; the same as a delay of 0), SHUTDOWN on close.
 *   <li>H2: default file mode (MVStore). H2 does NOT fsync each commit: its background writer
 *       writes changes about once a second, so a power loss can lose the last second of
 *       acknowledged commits. Its write figures are not durable-per-commit figures.
 * </ul>
 */
public final class JdbcEngine implements BenchEngine {
  /** The three peers. */
  public enum Peer {
    H2("h2"),
    SQLITE("sqlite"),
    HSQLDB("hsqldb");

    private final String shortName;

    Peer(String shortName) {
      this.shortName = shortName;
    }

    public String shortName() {
      return shortName;
    }
  }

  private final Peer peer;
  private final Path dir;
  private final String url;
  private final Properties props = new Properties();

  /** Held open for the engine's lifetime so that H2 and HSQLDB keep the database open. */
  private final Connection keeper;

  private JdbcEngine(Peer peer, Path dir) {
    this.peer = peer;
    this.dir = dir;
    switch (peer) {
      case H2 -> url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
      case SQLITE -> {
        url = "jdbc:sqlite:" + dir.resolve("db.sqlite").toAbsolutePath();
        props.setProperty("journal_mode", "WAL");
        props.setProperty("synchronous", "FULL");
        props.setProperty("busy_timeout", "60000");
      }
      case HSQLDB -> url = "jdbc:hsqldb:file:" + dir.resolve("db").toAbsolutePath();
      default -> throw new IllegalArgumentException("peer " + peer);
    }
    this.keeper = connect();
    if (peer == Peer.HSQLDB) {
      try (Statement st = keeper.createStatement()) {
        st.execute("SET FILES WRITE DELAY FALSE");
        st.execute("SET DATABASE DEFAULT TABLE TYPE CACHED");
      } catch (SQLException e) {
        throw new IllegalStateException("hsqldb setup in " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /** Opens (creating) the peer's database in {@code dir}. */
  public static JdbcEngine open(Peer peer, Path dir) {
    return new JdbcEngine(peer, dir);
  }

  Connection connect() {
    try {
      Connection c = DriverManager.getConnection(url, props);
      c.setAutoCommit(true);
      return c;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to " + url + ": " + e.getMessage(), e);
    }
  }

  Peer peer() {
    return peer;
  }

  @Override
  public String name() {
    return peer.shortName();
  }

  @Override
  public Path directory() {
    return dir;
  }

  @Override
  public void createTable() {
    String idType = peer == Peer.SQLITE ? "INTEGER" : "BIGINT";
    String cached = peer == Peer.HSQLDB ? "CACHED " : "";
    ddl(
        "CREATE "
            + cached
            + "TABLE patients (id "
            + idType
            + " PRIMARY KEY, name VARCHAR(64), ward INT, balance BIGINT)");
  }

  @Override
  public void createWardIndex() {
    ddl("CREATE INDEX patients_ward ON patients (ward)");
  }

  private void ddl(String sql) {
    try (Statement st = keeper.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(peer + ": " + sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public BenchSession session() {
    return new JdbcSession(this, connect());
  }

  @Override
  public void close() {
    try {
      if (peer == Peer.HSQLDB) {
        try (Statement st = keeper.createStatement()) {
          st.execute("SHUTDOWN");
        }
      }
      keeper.close();
    } catch (SQLException e) {
      throw new IllegalStateException(peer + ": close of " + dir + ": " + e.getMessage(), e);
    }
  }
}
