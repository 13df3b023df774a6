import { Job } from 'bull';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { InvalidJobError, MissingJobHandlerError } from '@appconda/queue';

import { DeletesProcessor } from './deletes.processor';

function fakeJob(data: unknown): Job<DeleteJob> & { discard: jest.Mock } {
  return { attemptsMade: 0, data, discard: jest.fn(), id: '7', opts: { attempts: 5 }, timestamp: 1_700_000_000_000 } as unknown as Job<DeleteJob> & { discard: jest.Mock };
}

const valid: DeleteJob = { document: { $id: 'u1', $internalId: '12' }, projectId: 'p1', type: DeleteJobType.Users };

describe('DeletesProcessor', () => {
  it('delegates a valid payload to the bound handler', async () => {
    const handle = jest.fn().mockResolvedValue('done');
    const sut = new DeletesProcessor({ handle });
    await expect(sut.process(fakeJob(valid))).resolves.toBe('done');
    expect(handle).toHaveBeenCalledWith(valid, { attempt: 1, enqueuedAt: 1_700_000_000_000, jobId: '7', queue: QueueName.Deletes });
  });

  it('fails the job (so Bull retries, then dead-letters it) when no handler is bound', async () => {
    const sut = new DeletesProcessor();
    const job = fakeJob(valid);
    await expect(sut.process(job)).rejects.toThrow(MissingJobHandlerError);
    expect(job.discard).not.toHaveBeenCalled();
  });

  it('discards a payload that breaks the contract without calling the handler', async () => {
    const handle = jest.fn();
    const job = fakeJob({ projectId: 'p1', type: 'everything' });
    await expect(new DeletesProcessor({ handle }).process(job)).rejects.toThrow(InvalidJobError);
    expect(job.discard).toHaveBeenCalled();
    expect(handle).not.toHaveBeenCalled();
  });
});
