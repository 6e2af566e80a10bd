package io.veritydb.query;

import io.veritydb.kernel.TableDefCache;
import io.veritydb.types.Checks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQL front end: {@link #prepare} parses and translates SQL once and caches the result by its
 * exact text in a bounded LRU cache, so a repeated statement skips parsing. Thread-safe: callers on
 * any thread share one engine; a {@link Prepared} is immutable.
 */
public final class QueryEngine {
  /** The cache size when none is given. */
  public static final int DEFAULT_CACHE_SIZE = 1024;

  private final int cacheSize;
  private final TableDefCache tables = new TableDefCache(TableDefCache.DEFAULT_SIZE);
  private final LinkedHashMap<String, Prepared> cache;
  private long hits;
  private long misses;

  public QueryEngine() {
    this(DEFAULT_CACHE_SIZE);
  }

  /** An engine caching at most {@code cacheSize} statements (0 disables the cache). */
  public QueryEngine(int cacheSize) {
    Checks.checkArgument(cacheSize >= 0, "cacheSize", cacheSize);
    this.cacheSize = cacheSize;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
            return size() > QueryEngine.this.cacheSize;
          }
        };
  }

  /**
   * Parses {@code sql} (or takes it from the cache). Malformed or unsupported SQL fails with a
   * {@link io.veritydb.types.BadRequestException} that names the position or the construct.
   *
   * <p>{@code sql} is one statement: a trailing {@code ;} is allowed, followed only by whitespace
   * and comments; a second statement (or anything else) after a {@code ;} is refused, naming its
   * text and offset, so that no part of the text is silently dropped. Conditions group by SQL's
   * operator precedence: comparison, IN, BETWEEN and IS NULL before NOT, NOT before AND, AND before
   * OR.
   */
  public Prepared prepare(String sql) {
    Checks.checkNotNull(sql, "sql");
    synchronized (cache) {
      Prepared p = cache.get(sql);
      if (p != null) {
        hits++;
        return p;
      }
      misses++;
    }
    SqlTranslator.Result r = SqlTranslator.translate(sql);
    Prepared p = new Prepared(sql, r.stmt(), r.parameterCount(), tables);
    if (cacheSize > 0) {
      synchronized (cache) {
        cache.put(sql, p);
      }
    }
    return p;
  }

  /** How many statements the cache holds now. */
  public int cachedStatements() {
    synchronized (cache) {
      return cache.size();
    }
  }

  /** Cache hits so far. */
  public long cacheHits() {
    synchronized (cache) {
      return hits;
    }
  }

  /** Cache misses (parses) so far. */
  public long cacheMisses() {
    synchronized (cache) {
      return misses;
    }
  }
}
