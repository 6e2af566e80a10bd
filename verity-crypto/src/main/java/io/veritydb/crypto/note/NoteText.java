package io.veritydb.crypto.note;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Strict parsing helpers shared by the note formats: UTF-8, base64, decimals, key names. */
final class NoteText {
  static final char EM_DASH = '\u2014';

  private NoteText() {}

  /** Decodes strict UTF-8 and refuses control characters other than newline. */
  static String utf8(byte[] bytes, String what) {
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new NoteException(what + " is not valid UTF-8");
    }
    checkNoControl(s, what);
    return s;
  }

  static void checkNoControl(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r') {
        throw new NoteException(
            what
                + " contains a carriage return at character "
                + i
                + ": lines must end in \\n only");
      }
      if ((c < 0x20 && c != '\n') || c == 0x7f) {
        throw new NoteException(
            what + " contains control character U+" + String.format("%04X", (int) c) + " at " + i);
      }
    }
  }

  /** Standard base64 with padding, refusing any non-canonical encoding. */
  static byte[] base64(String s, String what) {
    byte[] out;
    try {
      out = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new NoteException(what + " is not valid base64: " + e.getMessage());
    }
    if (!Base64.getEncoder().encodeToString(out).equals(s)) {
      throw new NoteException(what + " is not canonical padded base64");
    }
    return out;
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** A canonical non-negative decimal that fits a signed long: no sign, no leading zeros. */
  static long decimal(String s, String what) {
    if (s.isEmpty() || s.length() > 19) {
      throw new NoteException(what + " is not a decimal number: \"" + s + "\"");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new NoteException(what + " is not a decimal number: \"" + s + "\"");
      }
    }
    if (s.length() > 1 && s.charAt(0) == '0') {
      throw new NoteException(what + " has a leading zero: \"" + s + "\"");
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new NoteException(what + " is too large: \"" + s + "\"");
    }
  }

  /** Key names are non-empty, without Unicode spaces, plus signs or control characters. */
  static void checkKeyName(String name) {
    if (name == null || name.isEmpty()) {
      throw new NoteException("key name must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c) || c < 0x20) {
        throw new NoteException(
            "key name \"" + name + "\" must not contain spaces, plus signs or control characters");
      }
    }
  }
}
