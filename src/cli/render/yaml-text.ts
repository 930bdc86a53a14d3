/**
 * `mxt show` as YAML that still reads back as the same data: a string holding a control or format
 * character is written double-quoted, where `\u009b` is an escape YAML understands, and every such
 * character is written that way (escape.ts jsonSafe).
 */
import { Document, visit } from 'yaml';
import { hasUnsafe, jsonSafe } from './escape.js';

export function renderYaml(data: unknown): string {
  const doc = new Document(data);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && hasUnsafe(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return jsonSafe(doc.toString({ lineWidth: 0 }), false);
}
