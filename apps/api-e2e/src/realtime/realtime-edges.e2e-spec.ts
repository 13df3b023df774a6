import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import * as sdk from 'node-appwrite';

import { allAvailable, dbProject, DbProject } from '../databases/db-helpers';
import { testIp } from '../../support/console';
import { signedInUser, webClient } from '../../support/identity-clients';
import { browser, closeAllSockets, rawSocket, realtimeUrl, sessionCookie, sleep, startRealtimeProcess, until } from './realtime-support';

/**
 * Refusals with the 1.3 codes (unknown project, missing channels, bad frames, floods) — none of which
 * may take the server down — and two realtime processes behind one Redis.
 */
describe('realtime: refusals, bad input and replicas', () => {
  let project: DbProject;
  const databaseId = 'rtedges';
  const collectionId = 'items';

  beforeAll(async () => {
    project = await dbProject('realtime-edges');
    await project.db.create(databaseId, 'Edges');
    await project.db.createCollection(databaseId, collectionId, 'Items', [sdk.Permission.read(sdk.Role.any())], false);
    await project.db.createStringAttribute(databaseId, collectionId, 'title', 16, false);
    await allAvailable(project.db, databaseId, collectionId);
  });

  afterAll(() => closeAllSockets());

  const stillServing = async () => {
    const socket = rawSocket(realtimeUrl(`project=${project.projectId}&channels[]=documents`));
    expect(await until(() => socket.frames[0], 'connected')).toMatchObject({ type: 'connected' });
    socket.socket.close();
  };

  it('refuses an unknown project with 1008 and the web SDK does not reconnect', async () => {
    const lost = webClient('no-such-project');
    const page = browser(lost.client, lost.store);
    page.subscribe('documents');
    const socket = await until(() => page.profile.sockets[0]?.closed && page.profile.sockets[0], 'closed');
    expect(socket.frames).toEqual([{ type: 'error', data: { code: 1008, message: 'Missing or unknown project ID' } }]);
    expect(socket.closed).toEqual({ code: 1008, reason: 'Missing or unknown project ID' });
    await sleep(1500);
    expect(page.profile.sockets).toHaveLength(1);
  });

  it('refuses a handshake without channels, or from an origin that is no platform, with 1008', async () => {
    const none = rawSocket(realtimeUrl(`project=${project.projectId}`));
    await until(() => none.closed, 'closed');
    expect(none.frames).toEqual([{ type: 'error', data: { code: 1008, message: 'Missing channels' } }]);
    expect(none.closed?.code).toBe(1008);
    const foreign = rawSocket(realtimeUrl(`project=${project.projectId}&channels[]=documents`), { origin: 'https://evil.example' });
    await until(() => foreign.closed, 'closed');
    expect(foreign.frames).toEqual([{ type: 'error', data: { code: 1008, message: 'Invalid Origin. Register your new client (evil.example) as a new Web platform on your project console dashboard' } }]);
  });

  it('answers malformed, unknown and oversized messages with 1003 (or closes on a frame too big), never crashing', async () => {
    const socket = rawSocket(realtimeUrl(`project=${project.projectId}&channels[]=documents`));
    await until(() => socket.frames[0], 'connected');
    const errorAfter = async (send: () => void) => {
      const before = socket.frames.length;
      send();
      return (await until(() => socket.frames[before], 'answer')).data;
    };
    expect(await errorAfter(() => socket.socket.send('{not json'))).toEqual({ code: 1003, message: 'Message format is not valid.' });
    expect(await errorAfter(() => socket.socket.send('[]'))).toEqual({ code: 1003, message: 'Message format is not valid.' });
    expect(await errorAfter(() => socket.socket.send(Buffer.from([0xde, 0xad]), { binary: true }))).toEqual({ code: 1003, message: 'Message format is not valid.' });
    expect(await errorAfter(() => socket.socket.send(JSON.stringify({ type: 'subscribe', data: {} })))).toEqual({ code: 1003, message: 'Message type is not valid.' });
    expect(await errorAfter(() => socket.socket.send(JSON.stringify({ type: 'authentication', data: {} })))).toEqual({ code: 1003, message: 'Payload is not valid.' });
    expect(await errorAfter(() => socket.socket.send(JSON.stringify({ type: 'authentication', data: { session: 'garbage' } })))).toEqual({ code: 1003, message: 'Session is not valid.' });
    expect(socket.closed).toBeUndefined();

    // Over 64 000 bytes in one frame: the connection is closed with 1009 (message too big).
    const huge = rawSocket(realtimeUrl(`project=${project.projectId}&channels[]=documents`));
    await until(() => huge.frames[0], 'connected');
    huge.socket.send('x'.repeat(70_000));
    expect((await until(() => huge.closed, 'closed')).code).toBe(1009);
    await stillServing();
  });

  it('limits messages per connection (1013, socket kept) and connections per IP and minute (1013, closed)', async () => {
    const chatty = rawSocket(realtimeUrl(`project=${project.projectId}&channels[]=documents`));
    await until(() => chatty.frames[0], 'connected');
    for (let i = 0; i < 33; i++) chatty.socket.send(JSON.stringify({ type: 'ping' }));
    const last = await until(() => chatty.frames[33], '33 answers');
    expect(chatty.frames.slice(1, 33).every((f) => f.data.code === 1003)).toBe(true);
    expect(last).toEqual({ type: 'error', data: { code: 1013, message: 'Too many messages' } });
    expect(chatty.closed).toBeUndefined();

    const ip = testIp();
    const flood = Array.from({ length: 130 }, () => rawSocket(realtimeUrl(`project=${project.projectId}&channels[]=documents`), { 'x-forwarded-for': ip }));
    await until(() => flood.every((s) => s.frames.length > 0), 'every handshake answered', 20000);
    const refused = flood.filter((s) => s.frames[0].type === 'error');
    expect(flood.filter((s) => s.frames[0].type === 'connected')).toHaveLength(128);
    expect(refused.map((s) => s.frames[0].data)).toEqual([
      { code: 1013, message: 'Too many requests' },
      { code: 1013, message: 'Too many requests' },
    ]);
    await until(() => refused.every((s) => s.closed?.code === 1013), 'refused sockets closed');
    for (const socket of flood) socket.socket.close();
    await stillServing();
  });

  it('delivers through two realtime processes behind one Redis, counts connections across both, and reports them in health', async () => {
    const second = await startRealtimeProcess();
    try {
      const user = await signedInUser(project.projectId, 'replica');
      const viaApi = browser(user.client, user.store, { cookie: sessionCookie(user.store, project.projectId) }).subscribe('documents');
      const other = webClient(project.projectId);
      other.client.setEndpointRealtime(second.endpoint.replace('http', 'ws'));
      const viaReplica = browser(other.client, other.store).subscribe('documents');
      await Promise.all([viaApi.ready, viaReplica.ready]);

      const created = await project.db.createDocument(databaseId, collectionId, sdk.ID.unique(), { title: 'both' });
      const [a, b] = await Promise.all([until(() => viaApi.received[0], 'event via the api port'), until(() => viaReplica.received[0], 'event via the second process')]);
      expect(a).toEqual(b);
      expect(a.payload).toEqual(created);

      // The console hears stats.connections with the sum over both processes (1.3's 5 s tick).
      const consoleSocket = rawSocket(realtimeUrl('project=console&channels[]=project'), { cookie: project.console.cookie });
      expect(await until(() => consoleSocket.frames[0], 'console connected')).toMatchObject({ type: 'connected', data: { channels: ['project'] } });
      const stats = await until(() => consoleSocket.frames.find((f) => f.type === 'event' && f.data.payload?.[project.projectId] !== undefined), 'stats.connections', 15000);
      expect(stats.data).toMatchObject({ events: ['stats.connections'], channels: ['project'] });
      expect(stats.data.payload?.[project.projectId]).toBeGreaterThanOrEqual(2);

      // Each process answers its transport health check with its open connections.
      const answers = await transportHealth('realtime');
      expect(answers.map((a) => a.pid).sort()).toEqual([Number(process.env.APPCONDA_E2E_PID), second.pid].sort());
      for (const answer of answers) expect(answer).toMatchObject({ service: 'realtime', status: 'pass', connections: expect.any(Number) });
      expect(answers.find((a) => a.pid === second.pid)?.connections).toBeGreaterThanOrEqual(1);
      viaApi.close();
      viaReplica.close();
      consoleSocket.socket.close();
    } finally {
      await second.stop();
    }
  });
});

/** Every answer to `<prefix>.health.<service>` on the Redis transport within a second (the compose health check's request). */
async function transportHealth(service: string): Promise<Record<string, unknown>[]> {
  const pattern = `${process.env.APPCONDA_E2E_REDIS_PREFIX}.health.${service}`;
  const sub = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  const pub = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  try {
    await Promise.all([sub.connect(), pub.connect()]);
    const id = randomUUID();
    const answers: Record<string, unknown>[] = [];
    sub.on('message', (_channel, raw: string) => {
      const packet = JSON.parse(raw) as { id?: string; response?: Record<string, unknown> };
      if (packet.id === id && packet.response) answers.push(packet.response);
    });
    await sub.subscribe(`${pattern}.reply`);
    await pub.publish(pattern, JSON.stringify({ pattern, data: {}, id }));
    await sleep(1000);
    return answers;
  } finally {
    sub.disconnect();
    pub.disconnect();
  }
}
