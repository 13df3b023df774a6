import * as sdk from 'node-appwrite';

import { bootstrapConsole, ConsoleSession } from '../support/console';

describe('console bootstrap (appconda all)', () => {
  let consoleSession: ConsoleSession;

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('bootstrap');
  });

  it('signs up, signs in, creates an organization, a project, a key and a platform', async () => {
    const project = await consoleSession.call<{ $id: string; teamId: string; keys: unknown[]; platforms: unknown[] }>('GET', `/projects/${consoleSession.projectId}`);
    expect(project.status).toBe(200);
    expect(project.body).toMatchObject({ $id: consoleSession.projectId, teamId: consoleSession.teamId });
    expect(project.body.keys).toHaveLength(1);
    expect(project.body.platforms).toHaveLength(1);
  });

  it('lets the new key drive the server SDK against the project', async () => {
    const client = new sdk.Client().setEndpoint(consoleSession.endpoint).setProject(consoleSession.projectId).setKey(consoleSession.key);
    const users = new sdk.Users(client);
    const created = await users.create(sdk.ID.unique(), 'someone@example.test', undefined, 'password123', 'Someone');
    expect((await users.list()).users.map((u) => u.$id)).toContain(created.$id);
    expect(await new sdk.Health(client).getDB()).toMatchObject({ status: 'pass' });
  });

  it('keeps the project private to its organization', async () => {
    const stranger = await bootstrapConsole('stranger');
    const res = await stranger.call('GET', `/projects/${consoleSession.projectId}`);
    expect([res.status, (res.body as { type?: string }).type]).toEqual([404, 'project_not_found']);
  });
});
