import { AttributeEntity } from '@appconda/database';

import { enumDraft, integerDraft, stringDraft } from './attribute.drafts';
import { assertFits, enumSize, INT_MAX, INT_MIN, integerSize, numericRange, ownColumn, stringSize } from './attribute.rules';
import { junctionTableName, relationshipLayout } from './attribute.types';
import { isStatementError, statementErrorText } from './databases.rules';

const row = (over: Partial<AttributeEntity>): AttributeEntity => ({ key: 'k', type: 'string', size: 10, signed: true, array: false, format: '', options: {}, status: 'available', ...over }) as AttributeEntity;

describe('attribute rules (1.3 checks)', () => {
  it('resolves numeric ranges like 1.3 and refuses inverted ranges or defaults outside them', () => {
    expect(numericRange('integer', undefined, undefined, 5)).toEqual({ min: INT_MIN, max: INT_MAX });
    expect(numericRange('double', 0, 1, 0.5)).toEqual({ min: 0, max: 1 });
    expect(() => numericRange('integer', 5, 1, null)).toThrow(expect.objectContaining({ type: 'attribute_value_invalid' }));
    expect(() => numericRange('integer', 1, 5, 6)).toThrow(expect.objectContaining({ type: 'attribute_value_invalid' }));
  });

  it('sizes integers as INT or BIGINT and strings within 1..1,073,741,824', () => {
    expect(integerSize(100, 0)).toBe(4);
    expect(integerSize(2147483648, 0)).toBe(8);
    expect(integerSize(0, -2147483649)).toBe(8);
    expect(integerDraft({ key: 'n', required: false }).size).toBe(8);
    expect(() => stringSize(0, null)).toThrow(expect.objectContaining({ type: 'general_argument_invalid' }));
    expect(() => stringSize(3, 'four')).toThrow(expect.objectContaining({ type: 'attribute_value_invalid' }));
  });

  it('checks enums: no empty element, default among them, column as wide as the longest', () => {
    expect(enumSize(['a', 'abc'], 'a')).toBe(3);
    expect(() => enumSize(['a', ''], null)).toThrow(/empty/);
    expect(() => enumSize(['a'], 'b')).toThrow(/not found/);
    expect(enumDraft({ key: 'e', elements: ['x', 'yy'], required: false }).formatOptions).toEqual({ elements: ['x', 'yy'] });
  });

  it('refuses defaults on required and array attributes', () => {
    expect(() => stringDraft({ key: 's', size: 5, required: true, default: 'x' })).toThrow(expect.objectContaining({ type: 'attribute_default_unsupported' }));
    expect(() => stringDraft({ key: 's', size: 5, required: false, array: true, default: 'x' })).toThrow(expect.objectContaining({ type: 'attribute_default_unsupported' }));
  });

  it('counts only columns that exist against the row limit', () => {
    const wide = (key: string, status = 'available') => row({ key, size: 4000, status: status as AttributeEntity['status'] });
    expect(() => assertFits([wide('a'), wide('b'), wide('c')], [{ key: 'd', type: 'string', size: 4000 }])).not.toThrow();
    expect(() => assertFits([wide('a'), wide('b'), wide('c'), wide('d')], [{ key: 'e', type: 'string', size: 4000 }])).toThrow(expect.objectContaining({ type: 'attribute_limit_exceeded' }));
    expect(() => assertFits([wide('a'), wide('b'), wide('c'), wide('d', 'failed')], [{ key: 'e', type: 'string', size: 4000 }])).not.toThrow();
  });
});

describe('relationship layout', () => {
  it('puts the id on the side utopia-php/database 0.36 does', () => {
    expect(relationshipLayout('oneToOne', false)).toEqual({ parentColumn: true, childColumn: false, junction: false });
    expect(relationshipLayout('oneToOne', true)).toEqual({ parentColumn: true, childColumn: true, junction: false });
    expect(relationshipLayout('oneToMany', false)).toEqual({ parentColumn: false, childColumn: true, junction: false });
    expect(relationshipLayout('manyToOne', true)).toEqual({ parentColumn: true, childColumn: false, junction: false });
    expect(relationshipLayout('manyToMany', true)).toEqual({ parentColumn: false, childColumn: false, junction: true });
    expect(junctionTableName('_1_2_3', '4')).toBe('_1_2_3_4');
    expect(() => junctionTableName('_1_2_3', 'x')).toThrow();
  });

  it('knows which relationship rows own a column on their table', () => {
    const rel = (side: string, relationType: string, twoWay = false) => row({ type: 'relationship', options: { side, relationType, twoWay } });
    expect(ownColumn(rel('parent', 'manyToOne'))).toEqual({ key: 'k', type: 'relationship' });
    expect(ownColumn(rel('parent', 'oneToMany'))).toBeNull();
    expect(ownColumn(rel('child', 'oneToMany', true))).toEqual({ key: 'k', type: 'relationship' });
    expect(ownColumn(rel('child', 'manyToMany', true))).toBeNull();
  });
});

describe('worker error classification', () => {
  it('treats MariaDB statement errors as permanent and connection errors as retryable', () => {
    const duplicate = Object.assign(new Error('(conn:1, no: 1062, SQLState: 23000) Duplicate entry'), { errno: 1062, sqlState: '23000', sqlMessage: "Duplicate entry 'x' for key 'u'", fatal: false });
    expect(isStatementError(duplicate)).toBe(true);
    expect(statementErrorText(duplicate)).toBe("Duplicate entry 'x' for key 'u'");
    expect(isStatementError(Object.assign(new Error('socket closed'), { errno: 45009, sqlState: '08S01', fatal: true }))).toBe(false);
    expect(isStatementError(new Error('timeout'))).toBe(false);
  });
});
