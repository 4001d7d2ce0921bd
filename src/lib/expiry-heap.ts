/** An item of an {@link ExpiryHeap}: the heap keeps its position in `heapIndex`. */
export interface HeapItem {
  expiresAt: number;
  heapIndex: number;
}

/**
 * A binary min-heap by `expiresAt` whose items know their position, so that an
 * item can be moved or removed in O(log n) without a search.
 */
export class ExpiryHeap<T extends HeapItem> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  /** The item that expires first, if any. */
  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    item.heapIndex = this.#items.length;
    this.#items.push(item);
    this.#up(item.heapIndex);
  }

  /** Restores the order after `item.expiresAt` changed. */
  update(item: T): void {
    this.#up(item.heapIndex);
    this.#down(item.heapIndex);
  }

  remove(item: T): void {
    const last = this.#items.pop();
    if (last === undefined || last === item) return;
    this.#items[item.heapIndex] = last;
    last.heapIndex = item.heapIndex;
    this.update(last);
  }

  #up(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (this.#at(parent).expiresAt <= this.#at(child).expiresAt) return;
      this.#swap(parent, child);
      child = parent;
    }
  }

  #down(index: number): void {
    let parent = index;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < this.#items.length && this.#at(left).expiresAt < this.#at(smallest).expiresAt) smallest = left;
      if (right < this.#items.length && this.#at(right).expiresAt < this.#at(smallest).expiresAt) smallest = right;
      if (smallest === parent) return;
      this.#swap(parent, smallest);
      parent = smallest;
    }
  }

  #at(index: number): T {
    return this.#items[index] as T;
  }

  #swap(a: number, b: number): void {
    const first = this.#at(a);
    const second = this.#at(b);
    this.#items[a] = second;
    this.#items[b] = first;
    first.heapIndex = b;
    second.heapIndex = a;
  }
}
