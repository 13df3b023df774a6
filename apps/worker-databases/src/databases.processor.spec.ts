import { Job } from 'bull';
import { DatabaseJob, DatabaseJobType, QueueName } from '@appconda/contracts';
import { InvalidJobError, MissingJobHandlerError } from '@appconda/queue';

import { DatabasesProcessor } from './databases.processor';

function fakeJob(data: unknown): Job<DatabaseJob> & { discard: jest.Mock } {
  return { attemptsMade: 0, data, discard: jest.fn(), id: '7', opts: { attempts: 5 }, timestamp: 1_700_000_000_000 } as unknown as Job<DatabaseJob> & { discard: jest.Mock };
}

const valid: DatabaseJob = { collectionId: 'c1', databaseId: 'db1', document: { $id: 'title', $internalId: '3', key: 'title' }, projectId: 'p1', type: DatabaseJobType.CreateAttribute };

describe('DatabasesProcessor', () => {
  it('delegates a valid payload to the bound handler', async () => {
    const handle = jest.fn().mockResolvedValue('done');
    const sut = new DatabasesProcessor({ handle });
    await expect(sut.process(fakeJob(valid))).resolves.toBe('done');
    expect(handle).toHaveBeenCalledWith(valid, { attempt: 1, enqueuedAt: 1_700_000_000_000, jobId: '7', queue: QueueName.Databases });
  });

  it('fails the job (so Bull retries, then dead-letters it) when no handler is bound', async () => {
    const sut = new DatabasesProcessor();
    const job = fakeJob(valid);
    await expect(sut.process(job)).rejects.toThrow(MissingJobHandlerError);
    expect(job.discard).not.toHaveBeenCalled();
  });

  it('discards a payload that breaks the contract without calling the handler', async () => {
    const handle = jest.fn();
    const job = fakeJob({ databaseId: 'db1', projectId: 'p1', type: 'createTable' });
    await expect(new DatabasesProcessor({ handle }).process(job)).rejects.toThrow(InvalidJobError);
    expect(job.discard).toHaveBeenCalled();
    expect(handle).not.toHaveBeenCalled();
  });
});
