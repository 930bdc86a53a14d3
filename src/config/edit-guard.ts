/**
 * What an edit may not touch in a YAML document, found before anything is written:
 * - a document that is not a mapping of sections (a list, a number, `null`): there is nowhere to put
 *   a section, and guessing would throw away what the file says;
 * - a value shared through YAML anchors and aliases (`&hubs` … `*hubs`): changing or removing the
 *   anchored value would change or break every alias of it, and an edit through an alias would land
 *   in the anchored value. Replacing or removing an alias itself is fine: the anchor stays.
 * Each refusal carries the offset of the node it is about, for a file:line:col.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import type { ValueChange } from '../core/edit/plan.js';

export class EditRefusedError extends Error {
  constructor(
    readonly ruleId: string,
    message: string,
    readonly hint: string,
    /** Offset in the text of the node the refusal is about. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'EditRefusedError';
  }
}

type Key = string | number;

/** The document's contents at `prefix` must be a mapping (or missing: an empty file, no `mxt` key in package.json). */
export function checkEditableRoot(doc: Document, prefix: readonly Key[]): void {
  let node: unknown = doc.contents;
  if (prefix.length > 0 && isMap(node)) node = node.get(prefix[0], true);
  if (node === null || node === undefined || isMap(node)) return;
  const what = isSeq(node) ? 'a list' : isScalar(node) ? (node.value === null ? '`null`' : `the ${typeof node.value} ${String(node.value)}`) : 'not a mapping';
  const where = prefix.length > 0 ? `the \`${prefix.join('.')}\` key` : 'the document';
  throw new EditRefusedError(
    'schema-type',
    `${where} is ${what}, not a mapping of sections (organization, sites, servers, …): there is nothing mxt can add to or change in it`,
    'start from `mxt init`, or write the sections by hand',
    (node as Node).range?.[0] ?? 0,
  );
}

/** Refuse a change that would go through, change or remove a value shared by anchor and alias. */
export function checkAliases(doc: Document, change: ValueChange): void {
  const aliases = aliasNodes(doc);
  if (aliases.length === 0) return;
  let node: unknown = doc.contents;
  const path = change.path;
  // For append the list itself is written into; for set/delete the last node is replaced.
  const walked = change.op === 'append' ? path.length : path.length - 1;
  for (let i = 0; i <= walked && node !== undefined; i++) {
    if (isAlias(node)) {
      throw refusal(`the edit goes through the alias *${node.source} (${path.slice(0, i).join('.') || 'the document'}): it would change the value anchored &${node.source} and so every use of it`, node);
    }
    anchoredAndUsed(node, aliases);
    if (i < path.length) node = child(node, path[i]!);
  }
  if (change.op === 'append' || node === undefined || isAlias(node)) return;
  // The replaced or removed value: no anchor inside it may be used by an alias outside it.
  visit(node as Node, {
    Node(_key, inner) {
      anchoredAndUsed(inner, aliases, (node as Node).range);
    },
  });
  anchoredAndUsed(node, aliases, (node as Node).range);
}

function anchoredAndUsed(node: unknown, aliases: readonly AliasUse[], inside?: readonly number[] | null): void {
  const anchor = (node as { anchor?: string } | null)?.anchor;
  if (!anchor || !(isCollection(node) || isScalar(node))) return;
  const use = aliases.find((a) => a.source === anchor && !(inside && a.offset >= inside[0]! && a.offset < inside[1]!));
  if (use) throw refusal(`the edit changes the value anchored &${anchor}, which is also used as *${anchor} elsewhere in the file: that use would change too, or break`, node as Node);
}

function refusal(message: string, node: Node): EditRefusedError {
  return new EditRefusedError('yaml-alias', message, 'write the shared value out where it is used (replace *name by a copy), then run the edit again', node.range?.[0] ?? 0);
}

interface AliasUse {
  source: string;
  offset: number;
}

function aliasNodes(doc: Document): AliasUse[] {
  const found: AliasUse[] = [];
  visit(doc, {
    Alias(_key, node) {
      found.push({ source: node.source, offset: node.range?.[0] ?? -1 });
    },
  });
  return found;
}

function child(node: unknown, key: Key): unknown {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) === String(key) : p.key === key));
    return pair?.value ?? undefined;
  }
  if (isSeq(node) && typeof key === 'number') return node.items[key];
  return undefined;
}
