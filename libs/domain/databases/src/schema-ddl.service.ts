import { Injectable } from '@nestjs/common';
import { AttributeEntity, AttributeRepository, CollectionEntity, CollectionRepository, CollectionTableRepository } from '@appconda/database';

import { junctionTableName, relationshipLayout, RelationshipOptions } from './attribute.types';
import { CollectionSchemaService } from './collection-schema.service';

/** One side of a relationship: a collection's table and sequence. */
interface Side {
  table: string;
  seq: string;
}

/** Where both sides of a relationship live. */
interface RelationshipSides {
  parent: Side;
  child: Side;
  options: RelationshipOptions;
  /** Key of the parent-side attribute (its column on the parent table). */
  parentKey: string;
  /** Key of the child-side attribute (`twoWayKey`; its column on the child table). */
  childKey: string;
}

/**
 * The DDL of attributes on real tables, shared by the databases worker and the deletes handler. Every
 * step is idempotent (`IF [NOT] EXISTS`), so a retried job that finds the work done just completes.
 */
@Injectable()
export class SchemaDdlService {
  constructor(
    private readonly attributes: AttributeRepository,
    private readonly collections: CollectionRepository,
    private readonly schema: CollectionSchemaService,
    private readonly tables: CollectionTableRepository,
  ) {}

  /**
   * Both sides of a relationship attribute. The attribute's own side comes from its row alone (its
   * collection row may already be deleted); null when the related collection is gone.
   */
  async sides(attribute: AttributeEntity): Promise<RelationshipSides | null> {
    const options = attribute.options as unknown as RelationshipOptions;
    const related = await this.collections.findInDatabase(attribute.project, attribute.databaseInternalId, options.relatedCollection);
    if (!related) return null;
    const own: Side = { table: await this.schema.tableOf(attribute.project, attribute.databaseInternalId, attribute.collectionInternalId), seq: attribute.collectionInternalId };
    const other: Side = { table: await this.tableOf(related), seq: related.internalId };
    return options.side === 'child'
      ? { parent: other, child: own, options, parentKey: options.twoWayKey, childKey: attribute.key }
      : { parent: own, child: other, options, parentKey: attribute.key, childKey: options.twoWayKey };
  }

  /** Adds the columns (or junction table) a relationship needs on both tables. */
  async addRelationship(sides: RelationshipSides): Promise<void> {
    const layout = relationshipLayout(sides.options.relationType, Boolean(sides.options.twoWay));
    if (layout.parentColumn) await this.tables.addColumn(sides.parent.table, { key: sides.parentKey, type: 'relationship' });
    if (layout.childColumn) await this.tables.addColumn(sides.child.table, { key: sides.childKey, type: 'relationship' });
    if (layout.junction) await this.tables.createJunction(junctionTableName(sides.parent.table, sides.child.seq), '_parent', '_child');
  }

  /** Drops a relationship's columns (or junction) on both tables, then the counterpart attribute row. */
  async dropRelationship(attribute: AttributeEntity): Promise<void> {
    const sides = await this.sides(attribute);
    if (sides) {
      const layout = relationshipLayout(sides.options.relationType, Boolean(sides.options.twoWay));
      if (layout.parentColumn) await this.tables.dropColumn(sides.parent.table, sides.parentKey);
      if (layout.childColumn) await this.tables.dropColumn(sides.child.table, sides.childKey);
      if (layout.junction) await this.tables.dropTable(junctionTableName(sides.parent.table, sides.child.seq));
    }
    const options = attribute.options as unknown as RelationshipOptions;
    if (!options.twoWay) return;
    const related = await this.collections.findInDatabase(attribute.project, attribute.databaseInternalId, options.relatedCollection);
    if (!related) return;
    const counterpart = await this.attributes.findByKey(attribute.project, related.internalId, options.twoWayKey);
    if (counterpart && counterpart.internalId !== attribute.internalId) {
      await this.attributes.deleteWhere(attribute.project, { internalId: counterpart.internalId });
      await this.schema.invalidate(attribute.project, related.databaseId, related.uid);
    }
  }

  tableOf(collection: CollectionEntity): Promise<string> {
    return this.schema.tableOf(collection.project, collection.databaseInternalId, collection.internalId);
  }
}
