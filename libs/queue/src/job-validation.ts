import {
  BuildJobType,
  DatabaseJobType,
  DeleteJobType,
  JobPayload,
  QueueName,
} from '@appconda/contracts';

/** How one payload field is checked; a trailing `?` makes it optional. An array lists the allowed strings. */
type FieldRule = 'string' | 'string?' | 'boolean' | 'boolean?' | 'object' | 'object?' | 'object[]' | 'string[]' | 'string[]?' | readonly string[];

// `-?` makes every field of the contract appear here, so a payload change that forgets its rule fails to compile.
type Schema<T> = { [K in keyof T]-?: FieldRule };

const SCHEMAS: { [Q in QueueName]: Schema<JobPayload[Q]> } = {
  [QueueName.Audits]: { entries: 'object[]' },
  [QueueName.Builds]: { deploymentId: 'string', functionId: 'string', projectId: 'string', type: Object.values(BuildJobType) },
  [QueueName.Certificates]: { domain: 'string', domainId: 'string?', projectId: 'string?', validateCNAME: 'boolean', validateTarget: 'boolean' },
  [QueueName.Databases]: { collectionId: 'string?', databaseId: 'string', document: 'object?', projectId: 'string', type: Object.values(DatabaseJobType), userId: 'string?' },
  [QueueName.Deletes]: { datetime: 'string?', document: 'object?', projectId: 'string?', resource: 'string?', type: Object.values(DeleteJobType) },
  [QueueName.Functions]: {
    data: 'string?',
    eventData: 'string?',
    events: 'string[]?',
    executionId: 'string?',
    functionId: 'string',
    jwt: 'string?',
    projectId: 'string',
    trigger: ['http', 'event', 'schedule'],
    userId: 'string?',
  },
  [QueueName.Mails]: { locale: 'string', name: 'string?', projectId: 'string?', recipient: 'string', template: 'string', variables: 'object' },
  [QueueName.Messaging]: { message: 'string', projectId: 'string?', recipient: 'string' },
  [QueueName.Usage]: { points: 'object[]', time: 'string' },
  [QueueName.Webhooks]: { eventId: 'string?', events: 'string[]', payload: 'object', projectId: 'string', userId: 'string?', webhookIds: 'string[]' },
};

function matches(rule: FieldRule, value: unknown): boolean {
  if (Array.isArray(rule)) return typeof value === 'string' && rule.includes(value);
  const optional = (rule as string).endsWith('?');
  if (value === undefined || value === null) return optional;
  switch ((rule as string).replace('?', '')) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'object[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item));
    default:
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}

/** Checks a job's payload against its queue's contract; returns one line per bad field (empty = valid). */
export function payloadProblems(queue: QueueName, payload: unknown): string[] {
  if (typeof payload !== 'object' || payload === null) return ['payload must be an object'];
  const record = payload as Record<string, unknown>;
  return Object.entries(SCHEMAS[queue] as Record<string, FieldRule>)
    .filter(([field, rule]) => !matches(rule, record[field]))
    .map(([field, rule]) => `${field} must be ${Array.isArray(rule) ? `one of ${rule.join(', ')}` : rule}`);
}
