package io.veritydb.crypto.note;

/** Published examples, used as data. */
final class NoteVectors {
  private NoteVectors() {}

  /** C2SP signed-note, section "Verifier keys", example. */
  static final String SPEC_VKEY =
      "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";

  static final String SPEC_NOTE =
      "This is an example message.\n"
          + "\n"
          + "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYj"
          + "OBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

  /** The example of golang.org/x/mod/sumdb/note's documentation (BSD-3-Clause), as data. */
  static final String GO_SKEY =
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

  static final String GO_VKEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

  static final String GO_TEXT =
      """
      If you think cryptography is the answer to your problem,
      then you don't know what your problem is.
      """;

  static final String GO_NOTE =
      GO_TEXT
          + "\n"
          + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqf"
          + "qdngotpRZb6KE6RyyBwJnAM=\n";

  /** C2SP tlog-cosignature example: a checkpoint with a log signature and a cosignature. */
  static final String SPEC_COSIGNED_CHECKPOINT =
      "example.com/behind-the-sofa\n"
          + "20852163\n"
          + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
          + "\n"
          + "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u"
          + "5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
          + "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dl"
          + "rDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
}
