import { AppConfig } from '@appconda/config';
import { ExecutionEntity, FunctionEntity } from '@appconda/database';

import { isValidCron, nextTick } from './cron';
import { ExecutionRunner, Runnable } from './execution-runner';
import { toExecutionModel } from './functions.dto';
import { scheduleExecutionId } from './function-scheduler';
import { eventExecutionId, FunctionEventSubscriber } from './function-events.subscriber';

describe('cron (1.3 schedules)', () => {
  it('accepts five fields and the 1.3 macros, and refuses seconds, H, bad ranges and garbage', () => {
    for (const good of ['* * * * *', '*/5 * * * *', '0 0 * * 1-5', '0 12 1 JAN MON', '@daily', '@annually', '@midnight', '@hourly']) expect([good, isValidCron(good)]).toEqual([good, true]);
    for (const bad of ['* * * * * *', '61 * * * *', '* * *', 'H * * * *', 'every minute', '', '@secondly', 42]) expect([bad, isValidCron(bad)]).toEqual([bad, false]);
  });

  it('computes the next tick in UTC, strictly after the given time', () => {
    expect(nextTick('* * * * *', new Date('2031-01-01T10:00:00.000Z')).toISOString()).toBe('2031-01-01T10:01:00.000Z');
    expect(nextTick('*/15 * * * *', new Date('2031-01-01T10:07:30.000Z')).toISOString()).toBe('2031-01-01T10:15:00.000Z');
    expect(nextTick('@midnight', new Date('2031-01-01T10:07:30.000Z')).toISOString()).toBe('2031-01-02T00:00:00.000Z');
  });
});

describe('deterministic execution ids', () => {
  it('are valid 1.3 ids, stable for one tick or event and distinct across them', () => {
    const tick = new Date('2031-01-01T10:00:00Z');
    const id = scheduleExecutionId('p1', 'f1', tick);
    expect(id).toMatch(/^[a-f0-9]{20}$/);
    expect(scheduleExecutionId('p1', 'f1', new Date(tick))).toBe(id);
    expect(scheduleExecutionId('p1', 'f1', new Date(tick.getTime() + 60_000))).not.toBe(id);
    expect(eventExecutionId('p1', 'e1', 'f1')).not.toBe(eventExecutionId('p1', 'e1', 'f2'));
  });
});

describe('ExecutionRunner.variablesFor', () => {
  it("gives APPWRITE_FUNCTION_* precedence over the function's own variables", async () => {
    const variables = { ofFunction: jest.fn().mockResolvedValue([{ key: 'APPWRITE_FUNCTION_ID', value: 'spoofed' }, { key: 'MINE', value: 'mine' }]) };
    const sut = new ExecutionRunner({} as never, new AppConfig({}), {} as never, {} as never, {} as never, variables as never);
    const fn = { uid: 'f1', internalId: '1', name: 'Fn', runtime: 'node-18.0' } as FunctionEntity;
    const vars = await sut.variablesFor({ fn, deployment: { uid: 'd1' }, build: {} } as Runnable, { projectId: 'p1', trigger: 'event', event: 'users.u1.create', eventData: '{}' });
    expect(vars).toMatchObject({ MINE: 'mine', APPWRITE_FUNCTION_ID: 'f1', APPWRITE_FUNCTION_RUNTIME_NAME: 'Node.js', APPWRITE_FUNCTION_RUNTIME_VERSION: '18.0', APPWRITE_FUNCTION_TRIGGER: 'event', APPWRITE_FUNCTION_EVENT: 'users.u1.create', APPWRITE_FUNCTION_JWT: '' });
  });
});

describe('toExecutionModel', () => {
  it('hides stdout and stderr from callers that are neither keys nor console admins', () => {
    const row = { uid: 'e1', createdAt: new Date(0), updatedAt: new Date(0), permissions: [], functionId: 'f1', trigger: 'http', status: 'completed', statusCode: 200, response: 'ok', stdout: 'out', stderr: 'err', duration: 0.25 } as unknown as ExecutionEntity;
    expect(toExecutionModel(row, false)).toMatchObject({ stdout: '', stderr: '', response: 'ok', duration: 0.25 });
    expect(toExecutionModel(row, true)).toMatchObject({ stdout: 'out', stderr: 'err' });
  });
});

describe('FunctionEventSubscriber', () => {
  const event = (projectId: string, events: string[]) => ({ id: 'ev1', projectId, events, payload: { $id: 'x' }, userId: 'u1', time: new Date(0).toISOString() });

  function subject(functions: { uid: string; internalId: string; events: string[] }[]) {
    const queue = { add: jest.fn().mockResolvedValue('1') };
    const repository = { listWithEvents: jest.fn().mockResolvedValue(functions) };
    return { queue, repository, sut: new FunctionEventSubscriber(repository as never, queue as never) };
  }

  it('enqueues one event job per subscribed function, with a deterministic execution id, the names and the payload', async () => {
    const { queue, sut } = subject([
      { uid: 'f1', internalId: '1', events: ['users.*.create'] },
      { uid: 'f2', internalId: '2', events: ['teams.*.create'] },
      { uid: 'f3', internalId: '3', events: ['users.*', 'users.*.create'] },
    ]);
    await sut.onEvent(event('p1', ['users.u1.create', 'users.*.create', 'users.u1', 'users.*']));
    expect(queue.add.mock.calls.map(([job]) => job.functionId)).toEqual(['f1', 'f3']);
    expect(queue.add.mock.calls[0][0]).toEqual({
      trigger: 'event',
      projectId: 'p1',
      functionId: 'f1',
      executionId: eventExecutionId('p1', 'ev1', 'f1'),
      events: ['users.u1.create', 'users.*.create', 'users.u1', 'users.*'],
      eventData: '{"$id":"x"}',
      userId: 'u1',
    });
  });

  it("never triggers for the console project, nor a function for its own executions' events", async () => {
    const { queue, repository, sut } = subject([{ uid: 'f1', internalId: '1', events: ['functions.*.executions.*.update'] }]);
    await sut.onEvent(event('console', ['users.u1.create']));
    expect(repository.listWithEvents).not.toHaveBeenCalled();
    await sut.onEvent(event('p1', ['functions.f1.executions.e1.update', 'functions.*.executions.*.update', 'functions.f1.executions.*']));
    expect(queue.add).not.toHaveBeenCalled();
    await sut.onEvent({ ...event('p1', ['functions.f2.executions.e2.update', 'functions.*.executions.*.update', 'functions.f2.executions.*']), id: 'ev2' });
    expect(queue.add).toHaveBeenCalledTimes(1);
  });
});
