package io.veritydb.query;

import java.util.Locale;

/** SQL identifiers: quotes stripped, folded to lower case so names match however they are cased. */
final class Names {
  private Names() {}

  static String normalize(String raw) {
    String s = raw.trim();
    if (isQuoted(s)) {
      s = s.substring(1, s.length() - 1);
    }
    return s.toLowerCase(Locale.ROOT);
  }

  static boolean isQuoted(String s) {
    return s.length() >= 2
        && ((s.startsWith("\"") && s.endsWith("\""))
            || (s.startsWith("`") && s.endsWith("`"))
            || (s.startsWith("[") && s.endsWith("]")));
  }
}
