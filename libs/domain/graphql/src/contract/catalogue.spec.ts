import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { isKnownType, modelSpecs, operationKey, operationSpecs } from './catalogue';
import { UNIONS } from './models';

/** The 1.3 reference specs, found above the working copy (`…/shared/appwrite-1.3`); the comparison skips without them. */
function referenceSpec(): string | undefined {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'shared/appwrite-1.3/specs/open-api3-1.3.x-console.json');
    if (existsSync(file)) return file;
  }
  return undefined;
}

interface Schema {
  type?: string;
  properties?: Record<string, Schema & { 'x-nullable'?: boolean }>;
  required?: string[];
  $ref?: string;
  additionalProperties?: boolean;
}
interface Operation {
  operationId: string;
  tags: string[];
  'x-appwrite'?: { type?: string };
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

const reference = referenceSpec();

describe('the GraphQL contract', () => {
  const models = modelSpecs();
  const operations = operationSpecs();

  it('refers only to known models and types', () => {
    for (const operation of operations.values()) expect([operation.field, models.has(operation.model)]).toEqual([operation.field, true]);
    for (const model of models.values()) for (const field of model.fields) expect([model.name, field.key, isKnownType(field.type.name)]).toEqual([model.name, field.key, true]);
    for (const union of Object.values(UNIONS)) for (const member of union.members) expect(models.has(member)).toBe(true);
  });

  it('has unique field names', () => {
    const fields = [...operations.values()].map((operation) => operation.field);
    expect(new Set(fields).size).toBe(fields.length);
  });

  (reference ? it : it.skip)('matches every SDK operation and response model of the Appwrite 1.3 specs', () => {
    const spec = JSON.parse(readFileSync(reference!, 'utf8')) as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
    let count = 0;
    for (const [route, methods] of Object.entries(spec.paths)) {
      for (const [method, definition] of Object.entries(methods)) {
        if (definition.tags[0] === 'graphql' || definition['x-appwrite']?.type === 'webAuth') continue;
        count++;
        const ours = operations.get(operationKey(method, route));
        expect([route, ours?.field]).toEqual([route, definition.operationId]);
        const params = new Map<string, boolean>();
        for (const param of definition.parameters ?? []) params.set(param.name, param.in === 'path' || Boolean(param.required));
        for (const content of Object.values(definition.requestBody?.content ?? {}))
          for (const [name, property] of Object.entries(content.schema.properties ?? {})) params.set(name, (content.schema.required ?? []).includes(name) && !property['x-nullable']);
        expect([route, Object.fromEntries(ours!.args.map((arg) => [arg.name, arg.required]))]).toEqual([route, Object.fromEntries(params)]);
      }
    }
    expect(operations.size).toBe(count);
    for (const [name, schema] of Object.entries(spec.components.schemas)) {
      if (name === 'error') continue;
      const ours = models.get(name)!;
      expect([name, ours.freeForm, ours.fields.map((field) => field.key).sort()]).toEqual([name, Boolean(schema.additionalProperties), Object.keys(schema.properties ?? {}).sort()]);
    }
    // 1.3.8 answers the account routes with the Account model: User without the password hash and its options.
    const user = models.get('user')!.fields.map((field) => field.key);
    expect(models.get('account')!.fields.map((field) => field.key)).toEqual(user.filter((key) => !['password', 'hash', 'hashOptions'].includes(key)));
  });
});
