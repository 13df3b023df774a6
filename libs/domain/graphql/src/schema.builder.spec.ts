import { execute, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, parse, printType, validate, validateSchema } from 'graphql';

import { OperationSpec, operationSpecs } from './contract/catalogue';
import { buildSchema, freeFormData, LIST_FIELD, renameKeys } from './schema.builder';

const every = [...operationSpecs().values()];

function schemaAnswering(answers: Record<string, unknown>, operations: OperationSpec[] = every): { sut: GraphQLSchema; calls: [string, Record<string, unknown>][] } {
  const calls: [string, Record<string, unknown>][] = [];
  const sut = buildSchema(operations, async (operation, args) => {
    calls.push([operation.field, args]);
    return answers[operation.field] ?? {};
  });
  return { sut, calls };
}

describe('buildSchema', () => {
  const { sut } = schemaAnswering({});
  const query = sut.getQueryType() as GraphQLObjectType;
  const mutation = sut.getMutationType() as GraphQLObjectType;

  it('builds a valid schema of every contract operation: GET under Query, the others under Mutation', () => {
    expect(validateSchema(sut)).toEqual([]);
    const fields = Object.keys(query.getFields()).length + Object.keys(mutation.getFields()).length;
    expect(fields).toBe(every.length);
    expect(every.length).toBe(213);
    expect(Object.keys(query.getFields())).toEqual(expect.arrayContaining(['accountGet', 'localeListCountries', 'databasesListDocuments', 'usersList', 'functionsList']));
    expect(Object.keys(mutation.getFields())).toEqual(expect.arrayContaining(['usersCreate', 'accountUpdatePrefs', 'databasesCreateDocument', 'storageCreateFile', 'storageDeleteFile']));
    expect(Object.keys(query.getFields())).not.toContain('accountCreateOAuth2Session');
  });

  it('names types after the 1.3 response models', () => {
    expect(String(query.getFields().accountGet.type)).toBe('Account');
    expect(String(query.getFields().usersList.type)).toBe('UserList');
    expect(String(query.getFields().databasesListDocuments.type)).toBe('DocumentList');
    expect(String(mutation.getFields().databasesDeleteDocument.type)).toBe('None');
    expect(printType(sut.getType('Attributes')!)).toContain('union Attributes = AttributeBoolean | AttributeInteger');
    expect(printType(sut.getType('HashOptions')!)).toContain('AlgoArgon2');
  });

  it('maps route params to typed, required-when-required arguments (path params String!)', () => {
    const args = (field: string) => Object.fromEntries(mutation.getFields()[field].args.map((arg) => [arg.name, String(arg.type)]));
    expect(args('databasesCreateDocument')).toEqual({ databaseId: 'String!', collectionId: 'String!', documentId: 'String!', data: 'Json!', permissions: '[String]' });
    expect(args('accountUpdatePrefs')).toEqual({ prefs: 'Assoc!' });
    expect(args('storageCreateFile')).toEqual({ bucketId: 'String!', fileId: 'String!', file: 'InputFile!', permissions: '[String]' });
    expect(args('databasesCreateIntegerAttribute')).toMatchObject({ required: 'Boolean!', min: 'Int', default: 'Int', array: 'Boolean' });
    // 1.3's Nullable params: required by the route, but null is a value.
    expect(args('databasesUpdateStringAttribute')).toMatchObject({ required: 'Boolean!', default: 'String' });
    expect(query.getFields().storageGetFilePreview.args.find((arg) => arg.name === 'opacity')!.type).not.toBeInstanceOf(GraphQLNonNull);
  });

  it('marks list fields (those taking queries) for the complexity count', () => {
    expect(query.getFields().databasesListDocuments.extensions[LIST_FIELD]).toBe(true);
    expect(query.getFields().localeListCountries.extensions[LIST_FIELD]).toBe(false);
  });

  it('serves `$` keys as `_` keys, free-form keys as `data` JSON and keyless answers as status OK', async () => {
    const document = { $id: 'd1', $collectionId: 'c', $databaseId: 'db', $createdAt: 'now', $updatedAt: 'now', $permissions: ['read("any")'], title: 'Hi', tags: ['a'], author: { $id: 'u1', name: 'Ann' } };
    const { sut: schema, calls } = schemaAnswering({ databasesListDocuments: { total: 1, documents: [document] } });
    const result = await execute({
      schema,
      document: parse('{ databasesListDocuments(databaseId: "db", collectionId: "c", queries: ["limit(1)"]) { total documents { _id _permissions data } } }'),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ databasesListDocuments: { total: 1, documents: [{ _id: 'd1', _permissions: ['read("any")'], data: JSON.stringify({ title: 'Hi', tags: ['a'], author: { _id: 'u1', name: 'Ann' } }) }] } });
    expect(calls).toEqual([['databasesListDocuments', { databaseId: 'db', collectionId: 'c', queries: ['limit(1)'] }]]);
    const deleted = await execute({ schema, document: parse('mutation { databasesDeleteDocument(databaseId: "db", collectionId: "c", documentId: "d") { status } }') });
    expect(deleted.data).toEqual({ databasesDeleteDocument: { status: 'OK' } });
  });

  it('resolves the attribute union by type and format, enums included', async () => {
    const attributes = [
      { key: 'n', type: 'integer', min: 1 },
      { key: 'e', type: 'string', format: 'enum', elements: ['x'] },
      { key: 's', type: 'string', size: 9 },
    ];
    const { sut: schema } = schemaAnswering({ databasesListAttributes: { total: 3, attributes } });
    const result = await execute({
      schema,
      document: parse('{ databasesListAttributes(databaseId: "d", collectionId: "c") { attributes { __typename ... on AttributeInteger { min } ... on AttributeEnum { elements } ... on AttributeString { size } } } }'),
    });
    expect(result.data).toEqual({ databasesListAttributes: { attributes: [{ __typename: 'AttributeInteger', min: 1 }, { __typename: 'AttributeEnum', elements: ['x'] }, { __typename: 'AttributeString', size: 9 }] } });
  });

  it('takes prefs as an object or as JSON text (Assoc) and document data as a value or JSON text (Json)', async () => {
    const { sut: schema, calls } = schemaAnswering({});
    await execute({ schema, document: parse('mutation { accountUpdatePrefs(prefs: "{\\"theme\\":\\"dark\\"}") { _id } }') });
    await execute({ schema, document: parse('mutation { accountUpdatePrefs(prefs: {theme: "light", n: 2}) { _id } }') });
    await execute({ schema, document: parse('mutation { databasesCreateDocument(databaseId: "d", collectionId: "c", documentId: "x", data: "{\\"a\\":[1]}") { _id } }') });
    expect(calls.map(([, args]) => args.prefs ?? args.data)).toEqual([{ theme: 'dark' }, { theme: 'light', n: 2 }, { a: [1] }]);
  });

  it('rejects an InputFile written inline', () => {
    const { sut: schema } = schemaAnswering({});
    const errors = validate(schema, parse('mutation { storageCreateFile(bucketId: "b", fileId: "f", file: "x") { _id } }'));
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining('InputFile cannot be written in the query')]);
  });
});

describe('freeFormData', () => {
  it('leaves out system keys and keeps lists as lists', () => {
    expect(freeFormData({ $id: 'x', $permissions: [], a: [1, 2], b: null, c: { $id: 'related' } })).toBe('{"a":[1,2],"b":null,"c":{"_id":"related"}}');
    expect(freeFormData({})).toBe('{}');
  });
});

describe('renameKeys', () => {
  it('renames at every depth (1.3 stopped at three levels)', () => {
    const deep = { $id: 'a', x: { y: { z: { $id: 'deep', list: [{ $createdAt: 't' }] } } } };
    expect(renameKeys(deep)).toEqual({ _id: 'a', x: { y: { z: { _id: 'deep', list: [{ _createdAt: 't' }] } } } });
  });
});
