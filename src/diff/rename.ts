/**
 * Canonical names by first appearance: the first task id seen becomes `task1`, the next new one
 * `task2`, and a value seen again gets the name it got the first time. Two traces that use
 * different id styles (TS counts from 0, Python sends `task-<taskId>-<n>`) then read the same,
 * while one side reusing a value where the other does not still shows.
 */
export class Namer {
  private readonly names = new Map<string, string>();
  constructor(private readonly prefix: string) {}

  /** The canonical name of `value`, assigning the next one on first sight. */
  name(value: unknown): string {
    const key = keyOf(value);
    let name = this.names.get(key);
    if (name === undefined) {
      name = `${this.prefix}${this.names.size + 1}`;
      this.names.set(key, name);
    }
    return name;
  }

  /** The name already given, without assigning one. */
  known(value: unknown): string | undefined {
    return this.names.get(keyOf(value));
  }

  /** How many values have a name. */
  get size(): number {
    return this.names.size;
  }
}

/** `1` and `"1"` are different ids; strings and numbers are the usual case and need no JSON. */
function keyOf(value: unknown): string {
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'number') return `n${value}`;
  return `j${JSON.stringify(value)}`;
}

/**
 * Replaces occurrences of known ids inside free text (an error message naming the task, a
 * Python request id that embeds the task id) by their canonical names. Only ids long enough to
 * be unambiguous are replaced: a short id such as "1" would match digits in unrelated text.
 */
export class TextRenamer {
  private pattern: RegExp | undefined;
  private readonly map = new Map<string, string>();

  add(raw: string, name: string): void {
    if (raw.length < 8 || this.map.has(raw)) return;
    this.map.set(raw, name);
    this.pattern = undefined;
  }

  apply(text: string): string {
    if (!this.map.size) return text;
    if (!this.pattern) {
      // Longest first, so an id that contains another (a Python task id contains its session id) wins.
      const alternatives = [...this.map.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = new RegExp(alternatives.join('|'), 'g');
    }
    return text.replace(this.pattern, (m) => this.map.get(m) ?? m);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
