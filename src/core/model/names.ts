/** Exchange compares object names ordinally and case-insensitively (R81, R104c, V1). */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Ordinal, case-insensitive order used by every name tie-break of the spec. */
export function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export function nameKey(name: string): string {
  return name.toLowerCase();
}

/** Index a list by case-insensitive name; the first entry wins (duplicates are V1's business). */
export function indexByName<T>(items: readonly T[], nameOf: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const key = nameKey(nameOf(item));
    if (!map.has(key)) map.set(key, item);
  }
  return map;
}
