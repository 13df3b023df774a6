import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as sdk from 'node-appwrite';

import { bootstrapConsole, ConsoleSession } from '../support/console';
import { eventually, keyClient, uniqueEmail } from '../support/identity-clients';

interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: Record<string, unknown>;
}

interface WebhookModel {
  $id: string;
  signatureKey: string;
}

/** Webhooks configured through the console API and delivered by worker-webhooks of `appconda all`. */
describe('webhooks (console API + worker-webhooks, node-appwrite 9)', () => {
  let receiver: Server;
  let session: ConsoleSession;
  let users: sdk.Users;
  const deliveries: Delivery[] = [];
  const url = (path: string) => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}${path}`;
  const signature = (hookUrl: string, raw: Buffer, key: string) => createHmac('sha1', key).update(Buffer.concat([Buffer.from(hookUrl), raw])).digest('base64');

  async function createWebhook(body: Record<string, unknown>): Promise<WebhookModel> {
    const res = await session.call<WebhookModel>('POST', `/projects/${session.projectId}/webhooks`, body);
    expect(res.status).toBe(201);
    return res.body;
  }

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        deliveries.push({ path: req.url ?? '', headers: req.headers, raw, json: raw.length ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {} });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    session = await bootstrapConsole('webhooks');
    users = new sdk.Users(keyClient(session.projectId, session.key));
  });

  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('POSTs a created user to the users.*.create webhook with the 1.3 headers, signature and basic auth', async () => {
    const hook = await createWebhook({ name: 'Users created', events: ['users.*.create'], url: url('/users'), security: false, httpUser: 'hook', httpPass: 'p4ss' });
    const other = await createWebhook({ name: 'Teams only', events: ['teams.*.create'], url: url('/teams'), security: false });
    expect(hook.signatureKey).toMatch(/^[0-9a-f]{128}$/);

    const user = await users.create(sdk.ID.unique(), uniqueEmail('webhook'), undefined, 'password1234', 'Hooked');
    const delivery = await eventually(async () => deliveries.find((d) => d.path === '/users' && d.json.$id === user.$id), 'the webhook delivery');

    expect(delivery.json).toEqual(JSON.parse(JSON.stringify(user)));
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['user-agent']).toMatch(/^Appwrite-Server v1\.3\.\d+\. Please report abuse at \S+@\S+$/);
    expect(delivery.headers['x-appwrite-webhook-id']).toBe(hook.$id);
    expect(delivery.headers['x-appwrite-webhook-name']).toBe('Users created');
    expect(delivery.headers['x-appwrite-webhook-project-id']).toBe(session.projectId);
    expect(delivery.headers['x-appwrite-webhook-user-id']).toBe('');
    expect(String(delivery.headers['x-appwrite-webhook-events']).split(',')).toEqual(expect.arrayContaining([`users.${user.$id}.create`, 'users.*.create']));
    expect(delivery.headers.authorization).toBe(`Basic ${Buffer.from('hook:p4ss').toString('base64')}`);
    expect(delivery.headers['x-appwrite-webhook-signature']).toBe(signature(url('/users'), delivery.raw, hook.signatureKey));

    // The teams webhook hears nothing of a user change, and the users webhook got the change once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(deliveries.filter((d) => d.headers['x-appwrite-webhook-id'] === other.$id)).toEqual([]);
    expect(deliveries.filter((d) => d.json.$id === user.$id)).toHaveLength(1);
  });

  it('delivers the 1.3 document events of create, update and delete, each with its document', async () => {
    const hook = await createWebhook({
      name: 'Documents',
      events: ['databases.*.collections.*.documents.*.create', 'databases.*.collections.*.documents.*.update', 'databases.*.collections.*.documents.*.delete'],
      url: url('/documents'),
      security: false,
    });
    const db = new sdk.Databases(keyClient(session.projectId, session.key));
    await db.create('hooked', 'Hooked');
    await db.createCollection('hooked', 'notes', 'Notes', [sdk.Permission.read(sdk.Role.any())], false);
    await db.createStringAttribute('hooked', 'notes', 'text', 32, false);
    await eventually(async () => ((await db.getAttribute('hooked', 'notes', 'text')) as { status: string }).status === 'available' || undefined, 'the attribute');

    await db.createDocument('hooked', 'notes', 'n1', { text: 'first' });
    await db.updateDocument('hooked', 'notes', 'n1', { text: 'second' });
    await db.deleteDocument('hooked', 'notes', 'n1');
    const base = 'databases.hooked.collections.notes.documents.n1';
    const delivered = (action: string) => deliveries.find((d) => d.path === '/documents' && String(d.headers['x-appwrite-webhook-events']).split(',').includes(`${base}.${action}`));
    for (const [action, text] of [['create', 'first'], ['update', 'second'], ['delete', 'second']]) {
      const delivery = await eventually(async () => delivered(action), `the document ${action} delivery`);
      expect(delivery.headers['x-appwrite-webhook-id']).toBe(hook.$id);
      expect(String(delivery.headers['x-appwrite-webhook-events']).split(',')).toEqual(expect.arrayContaining([`databases.*.collections.*.documents.*.${action}`, `databases.hooked.collections.notes.documents.*.${action}`]));
      expect(delivery.json).toMatchObject({ $id: 'n1', $databaseId: 'hooked', $collectionId: 'notes', text });
    }
  });

  it('signs with the rotated key after updateSignature and stops after the webhook is deleted', async () => {
    const hook = await createWebhook({ name: 'Rotating', events: ['users.*.create'], url: url('/rotating'), security: true });
    const rotated = await session.call<WebhookModel>('PATCH', `/projects/${session.projectId}/webhooks/${hook.$id}/signature`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.signatureKey).not.toBe(hook.signatureKey);

    const user = await users.create(sdk.ID.unique(), uniqueEmail('rotated'), undefined, 'password1234');
    const delivery = await eventually(async () => deliveries.find((d) => d.path === '/rotating' && d.json.$id === user.$id), 'the delivery signed with the new key');
    expect(delivery.headers['x-appwrite-webhook-signature']).toBe(signature(url('/rotating'), delivery.raw, rotated.body.signatureKey));
    expect(delivery.headers.authorization).toBeUndefined();

    expect((await session.call('DELETE', `/projects/${session.projectId}/webhooks/${hook.$id}`)).status).toBe(204);
    const after = await users.create(sdk.ID.unique(), uniqueEmail('unhooked'), undefined, 'password1234');
    await eventually(async () => deliveries.find((d) => d.path === '/users' && d.json.$id === after.$id), 'the other webhook still delivering');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(deliveries.filter((d) => d.path === '/rotating' && d.json.$id === after.$id)).toEqual([]);
  });
});
