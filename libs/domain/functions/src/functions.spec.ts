import { AppConfig } from '@appconda/config';
import { ExecutionEntity, FunctionEntity } from '@appconda/database';

import { isValidCron, nextTick } from './cron';
import { ExecutionRunner, Runnable } from './execution-runner';
import { toExecutionModel } from './functions.dto';
import { scheduleExecutionId } from './function-scheduler';
import { eventExecutionId } from './function-events.subscriber';

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
