package io.veritydb.store;

/** One page of a value too large to sit in a leaf: a slice of its bytes and the next page. */
final class OverflowNode extends Node {
  final byte[] data;
  final int next;

  OverflowNode(int page, byte[] data, int next) {
    super(page, IMMUTABLE);
    this.data = data;
    this.next = next;
  }

  @Override
  int memoryBytes() {
    return 64 + data.length;
  }
}
