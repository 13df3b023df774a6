import { AppConfig } from '@appconda/config';
import { BuildJobType, DatabaseJobType, DeleteJobType, QueueName } from '@appconda/contracts';

import { payloadProblems } from './job-validation';
import { jobOptions, naturalJobId, redisPrefix } from './queue.options';

describe('jobOptions', () => {
  it('applies the queue defaults in one place', () => {
    const sut = jobOptions(QueueName.Mails, { locale: 'en', recipient: 'a@b.c', template: 'emails.recovery', variables: {} });
    expect(sut).toEqual({ attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: false });
  });

  it('lets the caller override attempts, backoff and jobId', () => {
    const sut = jobOptions(QueueName.Messaging, { message: 'hi', recipient: '+15550100' }, { attempts: 2, backoff: 10, jobId: 'x' });
    expect(sut).toMatchObject({ attempts: 2, backoff: 10, jobId: 'x', removeOnFail: false });
  });

  it('derives a deterministic jobId only from never-reused ids', () => {
    expect(naturalJobId(QueueName.Builds, { deploymentId: 'd1', functionId: 'f1', projectId: 'p1', type: BuildJobType.Deployment })).toBe('p1.d1.deployment');
    expect(naturalJobId(QueueName.Functions, { functionId: 'f1', projectId: 'p1', trigger: 'http', executionId: 'e1' })).toBe('p1.e1');
    expect(naturalJobId(QueueName.Functions, { functionId: 'f1', projectId: 'p1', trigger: 'schedule' })).toBeUndefined();
    expect(naturalJobId(QueueName.Deletes, { document: { $id: 'u1', $internalId: '42' }, projectId: 'p1', type: DeleteJobType.Users })).toBe('p1.users.42');
    expect(naturalJobId(QueueName.Deletes, { document: { $id: 'u1' }, projectId: 'p1', type: DeleteJobType.Users })).toBeUndefined();
    expect(naturalJobId(QueueName.Databases, { databaseId: 'db', document: { $id: 'a', $internalId: '7', key: 'a' }, projectId: 'p1', type: DatabaseJobType.CreateAttribute })).toBe('p1.createAttribute.7');
    expect(naturalJobId(QueueName.Certificates, { domain: 'example.com', validateCNAME: true, validateTarget: true })).toBeUndefined();
  });

  it('reads the key prefix from _APP_REDIS_PREFIX with a default', () => {
    expect(redisPrefix(new AppConfig({}))).toBe('appconda');
    expect(redisPrefix(new AppConfig({ _APP_REDIS_PREFIX: 'tenant1' }))).toBe('tenant1');
  });
});

describe('payloadProblems', () => {
  it('accepts a payload that matches the contract', () => {
    const audit = { entries: [{ id: 'a1', data: {}, event: 'users.create', ip: '127.0.0.1', mode: 'admin', projectId: 'p1', resource: 'user/u1', time: new Date().toISOString(), userAgent: 'x', userId: '' }] };
    expect(payloadProblems(QueueName.Audits, audit)).toEqual([]);
  });

  it('names every bad field', () => {
    expect(payloadProblems(QueueName.Mails, { locale: 1, recipient: 'a@b.c', template: 'x', variables: [] })).toEqual(
      expect.arrayContaining(['locale must be string', 'variables must be object']),
    );
    expect(payloadProblems(QueueName.Audits, { entries: {} })).toEqual(['entries must be object[]']);
    expect(payloadProblems(QueueName.Webhooks, { events: ['a', 2], payload: {}, projectId: 'p', webhookIds: [] })).toEqual(['events must be string[]']);
    expect(payloadProblems(QueueName.Mails, null)).toEqual(['payload must be an object']);
  });
});
