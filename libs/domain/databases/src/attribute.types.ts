import { AttributeEntity, AttributeSpec, AttributeType } from '@appconda/database';

/** Appwrite 1.3 relationship options, stored in the attribute row's `options`. */
export interface RelationshipOptions {
  relatedCollection: string;
  relationType: 'oneToOne' | 'oneToMany' | 'manyToOne' | 'manyToMany';
  twoWay: boolean;
  twoWayKey: string;
  onDelete: 'restrict' | 'cascade' | 'setNull';
  side: 'parent' | 'child';
}

/** The column spec the DDL builders need, from an attribute row. */
export function attributeSpec(attribute: AttributeEntity): AttributeSpec {
  return {
    key: attribute.key,
    type: attribute.type as AttributeType,
    size: attribute.size || undefined,
    signed: attribute.signed,
    array: attribute.array,
    format: attribute.format || undefined,
  };
}

/** Which physical storage a relationship uses (utopia-php/database 0.36's layout, which Appwrite 1.3 runs on). */
export interface RelationshipLayout {
  /** The parent (owning) collection's table has a VARCHAR(255) column named by the parent attribute key. */
  parentColumn: boolean;
  /** The related (child) collection's table has a VARCHAR(255) column named by `twoWayKey`. */
  childColumn: boolean;
  /** Pairs live in the junction table `junctionTableName(...)` (`_parent`, `_child` document ids). */
  junction: boolean;
}

/**
 * oneToOne: parent column (+ child column when twoWay); oneToMany: child column only (it holds the
 * parent's id, even when one-way); manyToOne: parent column only; manyToMany: junction table only.
 */
export function relationshipLayout(relationType: RelationshipOptions['relationType'], twoWay: boolean): RelationshipLayout {
  switch (relationType) {
    case 'oneToOne':
      return { parentColumn: true, childColumn: twoWay, junction: false };
    case 'oneToMany':
      return { parentColumn: false, childColumn: true, junction: false };
    case 'manyToOne':
      return { parentColumn: true, childColumn: false, junction: false };
    default:
      return { parentColumn: false, childColumn: false, junction: true };
  }
}

/** `<parentTable>_<childCollectionSeq>`, e.g. `_12_3_7_9`: the junction of a manyToMany relationship. */
export function junctionTableName(parentTable: string, childCollectionSeq: string): string {
  if (!/^\d+$/.test(childCollectionSeq)) throw new Error(`collection sequence must be numeric, got ${childCollectionSeq}`);
  return `${parentTable}_${childCollectionSeq}`;
}
