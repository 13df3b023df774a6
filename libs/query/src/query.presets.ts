import { AttributeSchema, QueryMethod, QuerySchema } from './query.types';

/** Every method except `select`: 1.3 system lists do not accept select. */
const LIST_METHODS: readonly QueryMethod[] = Object.values(QueryMethod).filter((method) => method !== QueryMethod.Select);

type Fields = Record<string, AttributeSchema['type']>;

/** An internal collection's list: only the documented attributes are queryable. */
function systemList(fields: Fields, fulltext: readonly string[] = []): QuerySchema {
  return {
    allowedAttributes: Object.keys(fields),
    allowedMethods: LIST_METHODS,
    attributes: Object.entries(fields).map(([key, type]) => ({ key, type })),
    indexes: fulltext.map((key) => ({ attributes: [key], type: 'fulltext' as const })),
  };
}

/**
 * Query schemas of the 1.3 system list routes: the attributes each route's `queries` param lets
 * clients filter and order on (from the route descriptions), typed as in the internal collections.
 */
export const SystemListSchemas = {
  buckets: systemList(
    { antivirus: 'boolean', enabled: 'boolean', encryption: 'boolean', fileSecurity: 'boolean', maximumFileSize: 'integer', name: 'string' },
    ['name'],
  ),
  collections: systemList({ documentSecurity: 'boolean', enabled: 'boolean', name: 'string' }),
  databases: systemList({ name: 'string' }),
  deployments: systemList({ activate: 'boolean', buildId: 'string', entrypoint: 'string', size: 'integer' }),
  executions: systemList({ duration: 'double', status: 'string', statusCode: 'integer', trigger: 'string' }),
  files: systemList({
    chunksTotal: 'integer',
    chunksUploaded: 'integer',
    mimeType: 'string',
    name: 'string',
    signature: 'string',
    sizeOriginal: 'integer',
  }),
  functions: systemList({
    deployment: 'string',
    enabled: 'boolean',
    name: 'string',
    runtime: 'string',
    schedule: 'string',
    scheduleNext: 'datetime',
    schedulePrevious: 'datetime',
    timeout: 'integer',
  }),
  /** Logs lists (account, users, teams, databases …) take only limit and offset. */
  logs: { allowedAttributes: [], allowedMethods: [QueryMethod.Limit, QueryMethod.Offset], attributes: [] } as QuerySchema,
  memberships: systemList({ confirm: 'boolean', invited: 'datetime', joined: 'datetime', teamId: 'string', userId: 'string' }),
  projects: systemList({ name: 'string', teamId: 'string' }),
  teams: systemList({ name: 'string', total: 'integer' }),
  users: systemList({
    email: 'string',
    emailVerification: 'boolean',
    name: 'string',
    passwordUpdate: 'datetime',
    phone: 'string',
    phoneVerification: 'boolean',
    registration: 'datetime',
    status: 'boolean',
  }),
} satisfies Record<string, QuerySchema>;

/** `getDocument` takes only `select` queries. */
export function getDocumentSchema(attributes: readonly AttributeSchema[]): QuerySchema {
  return { allowedMethods: [QueryMethod.Select], attributes };
}
