package io.veritydb.architecture.planted;

import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Pure code that draws random numbers. */
public final class PlantedRandomness {
  private PlantedRandomness() {}

  /** Creates a java.util.Random, even a seeded one. */
  public static final class NewRandom {
    static int draw() {
      return new Random(42).nextInt();
    }
  }

  /** Uses SecureRandom. */
  public static final class UsesSecureRandom {
    static int draw(SecureRandom random) {
      return random.nextInt();
    }
  }

  /** Uses ThreadLocalRandom. */
  public static final class UsesThreadLocalRandom {
    static int draw() {
      return ThreadLocalRandom.current().nextInt();
    }
  }

  /** Uses SplittableRandom. */
  public static final class UsesSplittableRandom {
    static long draw(SplittableRandom random) {
      return random.nextLong();
    }
  }

  /** Calls Math.random. */
  public static final class MathRandom {
    static double draw() {
      return Math.random();
    }
  }

  /** Calls UUID.randomUUID. */
  public static final class RandomUuid {
    static UUID draw() {
      return UUID.randomUUID();
    }
  }

  /** Shuffles with the JDK's hidden Random. */
  public static final class Shuffles {
    static void shuffle(List<String> names) {
      Collections.shuffle(names);
    }
  }
}
