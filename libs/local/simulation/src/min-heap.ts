/** A binary min-heap of entries ordered by `at`, then by insertion (ties leave in the order they came). */
export class MinHeap<T extends { at: number }> {
  private readonly entries: { entry: T; order: number }[] = [];
  private inserted = 0;

  get size(): number {
    return this.entries.length;
  }

  peek(): T | undefined {
    return this.entries[0]?.entry;
  }

  push(entry: T): void {
    const entries = this.entries;
    entries.push({ entry, order: this.inserted++ });
    let i = entries.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): T | undefined {
    const entries = this.entries;
    const top = entries[0];
    const last = entries.pop();
    if (top === undefined || last === undefined) return undefined;
    if (entries.length > 0) {
      entries[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < entries.length && this.before(left, smallest)) smallest = left;
        if (right < entries.length && this.before(right, smallest)) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return top.entry;
  }

  private before(a: number, b: number): boolean {
    const x = this.entries[a] as { entry: T; order: number };
    const y = this.entries[b] as { entry: T; order: number };
    return x.entry.at < y.entry.at || (x.entry.at === y.entry.at && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    const entries = this.entries;
    const x = entries[a] as { entry: T; order: number };
    entries[a] = entries[b] as { entry: T; order: number };
    entries[b] = x;
  }
}
