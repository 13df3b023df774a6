import { AttributeEntity } from '@appconda/database';
import { CollectionSchema, junctionTableName } from '@appconda/databases';

import { relationOptions } from './document.model';

/**
 * Where a relationship attribute's value lives, seen from the collection that owns the attribute
 * (see the databases README: column on the parent/child table, or a manyToMany junction).
 *  - column:   this table's column named by the attribute key holds the related `$id` (one value);
 *  - reverse:  the related table's column `fk` holds this document's `$id` (many values);
 *  - junction: pairs in `junction`, this document on side `mine`.
 */
export type LinkShape =
  | { kind: 'column'; many: false }
  | { kind: 'reverse'; many: true; fk: string }
  | { kind: 'junction'; many: true; junction: string; mine: '_parent' | '_child'; theirs: '_parent' | '_child' };

export function linkShape(attribute: AttributeEntity, own: CollectionSchema, related: CollectionSchema): LinkShape {
  const options = relationOptions(attribute);
  const parent = options.side !== 'child';
  switch (options.relationType) {
    case 'oneToOne':
      return { kind: 'column', many: false };
    case 'oneToMany':
      return parent ? { kind: 'reverse', many: true, fk: options.twoWayKey } : { kind: 'column', many: false };
    case 'manyToOne':
      return parent ? { kind: 'column', many: false } : { kind: 'reverse', many: true, fk: options.twoWayKey };
    default:
      return parent
        ? { kind: 'junction', many: true, junction: junctionTableName(own.table, related.collection.internalId), mine: '_parent', theirs: '_child' }
        : { kind: 'junction', many: true, junction: junctionTableName(related.table, own.collection.internalId), mine: '_child', theirs: '_parent' };
  }
}

/**
 * Which attributes a `select` asks for: null = everything (relationships loaded in full); otherwise
 * the top-level keys, and per relationship key the selection inside the related documents
 * (`author.name` → author: {name}; `author.*` or `author` → author: everything).
 */
export interface Selection {
  keys: ReadonlySet<string>;
  nested: ReadonlyMap<string, Selection | null>;
}

export function parseSelection(selections: readonly string[] | null): Selection | null {
  if (!selections || selections.includes('*')) return null;
  const keys = new Set<string>();
  const paths = new Map<string, string[]>();
  for (const selection of selections) {
    const dot = selection.indexOf('.');
    if (dot === -1) {
      keys.add(selection);
      if (!paths.has(selection)) paths.set(selection, ['*']);
      continue;
    }
    const head = selection.slice(0, dot);
    keys.add(head);
    const list = paths.get(head);
    const rest = selection.slice(dot + 1);
    if (list && !list.includes('*')) list.push(rest);
    else if (!list) paths.set(head, [rest]);
  }
  const nested = new Map<string, Selection | null>();
  for (const [key, list] of paths) nested.set(key, parseSelection(list));
  return { keys, nested };
}

/** The largest relationship depth loaded or written (utopia-php/database 0.36 RELATION_MAX_DEPTH). */
export const MAX_DEPTH = 3;
