/**
 * Stable in-place sort for the short lists routing orders on every request (a group's sites, the
 * connectors of one level): insertion sort allocates nothing, where Array.prototype.sort takes a
 * work array even for two elements. Longer lists go to Array.prototype.sort (also stable).
 */
const INSERTION_MAX = 16;

export function sortSmall<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  if (list.length > INSERTION_MAX) return list.sort(compare);
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    let j = i - 1;
    while (j >= 0 && compare(list[j]!, item) > 0) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = item;
  }
  return list;
}
