/** Effective values as people write them: sizes and durations back to `35MB` / `5m`, `unlimited` for Infinity. */
const SIZE_KEYS = /(Size|size)$/;
const DURATION_KEYS = /(Timeout|TimeOut|Interval|IdleTime|HoldTime|Resubmit)$/;

import { formatAddressSpace, type AddressSpace } from '../../core/model/address-space.js';
import { formatDuration, formatSize } from '../../core/model/units.js';

export function toPlainData(value: unknown, key = ''): unknown {
  if (typeof value === 'number') {
    if (SIZE_KEYS.test(key)) return formatSize(value);
    if (DURATION_KEYS.test(key)) return formatDuration(value);
    return value === Infinity ? 'unlimited' : value;
  }
  if (typeof value === 'bigint') return value.toString();
  if (key === 'addressSpaces' && Array.isArray(value)) return value.map((s) => (typeof s === 'object' ? formatAddressSpace(s as AddressSpace) : s));
  if (Array.isArray(value)) return value.map((item) => toPlainData(item, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toPlainData(v, k)]),
    );
  }
  return value;
}
