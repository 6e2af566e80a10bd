package io.veritydb.query;

import io.veritydb.kernel.Values;
import io.veritydb.types.BadRequestException;
import java.util.Locale;

/** SQL identifiers: quotes stripped, folded to lower case so names match however they are cased. */
final class Names {
  private Names() {}

  static String normalize(String raw) {
    String s = raw.trim();
    if (isQuoted(s)) {
      s = s.substring(1, s.length() - 1);
    }
    int bad = Values.unpairedSurrogate(s);
    if (bad >= 0) {
      throw new BadRequestException(
          "name " + s + " is not valid UTF-16: unpaired surrogate at index " + bad);
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
