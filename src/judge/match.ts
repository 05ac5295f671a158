/**
 * Partial matching for expectations: objects match when every expected key matches (extra keys
 * in the actual value are fine), arrays when they have the same length and match element by
 * element, anything else when equal. Returns the first mismatch, described with its path.
 */
export function mismatch(expected: unknown, actual: unknown, path = ''): string | undefined {
  const at = path || '(value)';
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array, got ${show(actual)}`;
    if (actual.length !== expected.length) return `${at}: expected ${expected.length} item(s), got ${actual.length}: ${show(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(expected[i], actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${at}: expected an object, got ${show(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const m = mismatch(value, (actual as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      if (m) return m;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : `${at}: expected ${show(expected)}, got ${show(actual)}`;
}

export function show(value: unknown, max = 160): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
