import { batchItems, multipartPayload, MultipartPart, postPayload, queryStringPayload } from './request-body';
import { UploadedFile } from './scalars';

async function* parts(...list: MultipartPart[]): AsyncIterable<MultipartPart> {
  yield* list;
}

const field = (fieldname: string, value: unknown): MultipartPart => ({ type: 'field', fieldname, value });
const file = (fieldname: string, content: string): MultipartPart => ({ type: 'file', fieldname, filename: `${fieldname}.txt`, mimetype: 'text/plain', toBuffer: async () => Buffer.from(content) });

describe('batchItems', () => {
  it('reads an object as one request and an array as a batch', () => {
    expect(batchItems({ query: '{ a }' }, 10)).toEqual([{ query: '{ a }' }]);
    expect(batchItems([{ query: '{ a }' }, { query: '{ b }' }], 10)).toHaveLength(2);
  });

  it.each([[undefined], [null], ['text'], [[]], [{}], [{ query: '' }], [[{ query: '{ a }' }, { variables: {} }]], [{ query: 0 }]])('answers 400 graphql_no_query for %j', (payload) => {
    expect(() => batchItems(payload, 10)).toThrow(expect.objectContaining({ type: 'graphql_no_query', code: 400 }));
  });

  it('answers 400 graphql_too_many_queries above the batch size', () => {
    expect(() => batchItems(Array.from({ length: 3 }, () => ({ query: '{ a }' })), 2)).toThrow(expect.objectContaining({ type: 'graphql_too_many_queries', code: 400 }));
  });
});

describe('payload forms', () => {
  it('reads GET params, the SDK form (x-sdk-graphql), application/graphql text and plain JSON', () => {
    expect(queryStringPayload({ query: '{ a }', variables: '{"x":1}', operationName: '' })).toEqual({ query: '{ a }', variables: '{"x":1}' });
    expect(postPayload({ query: [{ query: '{ a }' }] }, 'application/json', true)).toEqual([{ query: '{ a }' }]);
    expect(postPayload({ query: { query: '{ a }' } }, 'application/json', true)).toEqual({ query: '{ a }' });
    expect(postPayload({ query: '{ a }' }, 'application/json', true)).toEqual({ query: '{ a }' });
    expect(postPayload('{ a }', 'application/graphql; charset=utf-8', false)).toEqual({ query: '{ a }' });
    expect(postPayload({ query: '{ a }' }, 'application/json', false)).toEqual({ query: '{ a }' });
  });
});

describe('multipartPayload', () => {
  it('puts each file where the map points, batches included', async () => {
    const operations = [
      { query: 'm1', variables: { file: null } },
      { query: 'm2', variables: { input: { files: [null, null] } } },
    ];
    const payload = (await multipartPayload(
      parts(field('operations', JSON.stringify(operations)), field('map', JSON.stringify({ a: ['0.variables.file'], b: ['1.variables.input.files.1'] })), file('a', 'A'), file('b', 'B')),
    )) as typeof operations & [{ variables: { file: UploadedFile } }, { variables: { input: { files: UploadedFile[] } } }];
    expect(payload[0].variables.file).toEqual(new UploadedFile('a.txt', 'text/plain', Buffer.from('A')));
    expect(payload[1].variables.input.files[0]).toBeNull();
    expect(payload[1].variables.input.files[1].content.toString()).toBe('B');
  });

  it.each([
    [[field('map', '{}')], 'Param "operations" is not optional.'],
    [[field('operations', '{bad'), field('map', '{}')], 'Invalid operations: Value must be valid JSON.'],
    [[field('operations', '{}'), field('map', '[1]')], 'Invalid map: must be a JSON object of file keys to paths.'],
    [[field('operations', '{}'), field('map', '{"0":["variables.file"]}')], 'Invalid map: no file part named "0".'],
    [[field('operations', '{}'), field('map', '{"0":["__proto__.x"]}'), file('0', 'x')], 'Invalid map path: __proto__.x'],
  ])('answers 400 general_argument_invalid for a malformed request (%#)', async (list, message) => {
    await expect(multipartPayload(parts(...(list as MultipartPart[])))).rejects.toMatchObject({ type: 'general_argument_invalid', message });
  });
});
