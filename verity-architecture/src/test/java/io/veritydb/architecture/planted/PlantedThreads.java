package io.veritydb.architecture.planted;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/** Pure code that uses threads or concurrency utilities. */
public final class PlantedThreads {
  private PlantedThreads() {}

  /** Uses a ConcurrentHashMap. */
  public static final class UsesConcurrentHashMap {
    static final ConcurrentHashMap<String, String> MAP = new ConcurrentHashMap<>();

    static String get(String key) {
      return MAP.get(key);
    }
  }

  /** Uses an atomic. */
  public static final class UsesAtomic {
    static final AtomicLong COUNT = new AtomicLong();

    static long next() {
      return COUNT.incrementAndGet();
    }
  }

  /** Uses a lock. */
  public static final class UsesLock {
    static final ReentrantLock LOCK = new ReentrantLock();

    static boolean held() {
      return LOCK.isHeldByCurrentThread();
    }
  }

  /** Starts a thread. */
  public static final class StartsThread {
    static Thread start(Runnable work) {
      Thread t = new Thread(work);
      t.start();
      return t;
    }
  }

  /** Submits to an executor. */
  public static final class UsesExecutor {
    static void submit(ExecutorService pool, Runnable work) {
      pool.execute(work);
    }
  }

  /** Runs a parallel stream (the common fork-join pool). */
  public static final class ParallelStream {
    static long count(List<String> names) {
      return names.parallelStream().filter(n -> n.isEmpty()).count();
    }
  }

  /** Keeps per-thread state. */
  public static final class UsesThreadLocal {
    static final ThreadLocal<StringBuilder> BUFFER = ThreadLocal.withInitial(StringBuilder::new);

    static int length() {
      return BUFFER.get().length();
    }
  }
}
