import { AttributeEntity } from '@appconda/database';

import { checkAttribute, checkStructure, parseDatetime } from './document.structure';
import { parseSelection } from './relationships';

const attribute = (overrides: Partial<AttributeEntity>): AttributeEntity =>
  ({ key: 'a', type: 'string', size: 10, required: false, array: false, format: '', formatOptions: {}, default: null, status: 'available', options: {}, signed: true, ...overrides }) as AttributeEntity;

describe('document structure (1.3 Structure validator)', () => {
  const title = attribute({ key: 'title', required: true, size: 5 });
  const pages = attribute({ key: 'pages', type: 'integer', size: 4, default: 7, formatOptions: { min: 0, max: 1000 } });
  const tags = attribute({ key: 'tags', array: true, size: 3 });
  const when = attribute({ key: 'when', type: 'datetime', size: 0 });
  const all = [title, pages, tags, when];
  const known = new Set(['title', 'pages', 'tags', 'when', 'pending']);

  it('fills defaults and NULLs on create, converts datetimes and arrays to column values', () => {
    const { columns } = checkStructure(all, known, { title: 'abc', when: '2024-01-02 03:04:05', tags: ['x'] }, false);
    expect(Object.fromEntries(columns)).toEqual({ title: 'abc', pages: 7, tags: '["x"]', when: new Date('2024-01-02T03:04:05.000Z') });
  });

  it('checks only sent keys on update, and drops keys of attributes still processing', () => {
    const { columns } = checkStructure(all, known, { pages: 3, pending: 'ignored', $id: 'x' }, true);
    expect(Object.fromEntries(columns)).toEqual({ pages: 3 });
  });

  it.each([
    [{ title: 'abc', nope: 1 }, 'Invalid document structure: Unknown attribute: "nope"'],
    [{}, 'Invalid document structure: Missing required attribute "title"'],
    [{ title: 'abcdef' }, 'Invalid document structure: Attribute "title" has invalid type. Value must be a valid string and no longer than 5 chars'],
    [{ title: 'a', pages: 1001 }, 'Invalid document structure: Attribute "pages" has invalid format. Value must be a valid range between 0 and 1,000'],
    [{ title: 'a', tags: 'x' }, 'Invalid document structure: Attribute "tags" must be an array'],
    [{ title: 'a', tags: ['toolong'] }, `Invalid document structure: Attribute "tags['0']" has invalid type. Value must be a valid string and no longer than 3 chars`],
    [{ title: 'a', when: 'soon' }, 'Invalid document structure: Attribute "when" has invalid type'],
  ])('refuses %j', (data, message) => {
    expect(() => checkStructure(all, known, data, false)).toThrow(message);
  });

  it('validates formats', () => {
    expect(() => checkAttribute(attribute({ format: 'email', size: 254 }), 'a@b.co')).not.toThrow();
    expect(() => checkAttribute(attribute({ format: 'email', size: 254 }), 'nope')).toThrow('valid email address');
    expect(() => checkAttribute(attribute({ format: 'ip', size: 39 }), '::1')).not.toThrow();
    expect(() => checkAttribute(attribute({ format: 'url', size: 2000 }), 'http://x.io/a')).not.toThrow();
    expect(() => checkAttribute(attribute({ format: 'enum', formatOptions: { elements: ['a', 'b'] } }), 'c')).toThrow('Value must be one of (a, b)');
    expect(() => checkAttribute(attribute({ type: 'double', formatOptions: { min: 0, max: 1 } }), 2)).toThrow('invalid format');
    expect(() => checkAttribute(attribute({ type: 'boolean' }), 1)).toThrow('valid boolean');
  });

  it('reads datetimes without an offset as UTC', () => {
    expect(parseDatetime('2024-05-06')?.toISOString()).toBe('2024-05-06T00:00:00.000Z');
    expect(parseDatetime('2024-05-06T10:00:00+02:00')?.toISOString()).toBe('2024-05-06T08:00:00.000Z');
    expect(parseDatetime('never')).toBeNull();
  });
});

describe('parseSelection', () => {
  it('keeps top-level keys and nested selections of relationships', () => {
    const selection = parseSelection(['title', 'author.name', 'author.books.title', 'tags.*']);
    expect([...selection!.keys]).toEqual(['title', 'author', 'tags']);
    expect([...selection!.nested.get('author')!.keys]).toEqual(['name', 'books']);
    expect(selection!.nested.get('tags')).toBeNull();
    expect(parseSelection(['*'])).toBeNull();
    expect(parseSelection(null)).toBeNull();
  });
});
