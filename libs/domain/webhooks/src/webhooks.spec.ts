import { createHmac } from 'node:crypto';
import { QueueName, WebhookJob } from '@appconda/contracts';
import { payloadProblems } from '@appconda/queue';
import { AppEvent } from '@appconda/transport';

import { WebhookEventSubscriber } from './webhook-events.subscriber';
import { matchingWebhooks, subscribes } from './webhook-matching';
import { rawUrlDecode, webhookSignature } from './webhook-signature';
import { webhookHeaders, WebhooksJobHandler } from './webhooks.handler';

/** The formula written out independently: base64(HMAC-SHA1(key, decoded url . body)). */
function expectedSignature(decodedUrl: string, body: string, key: string): string {
  const mac = createHmac('sha1', Buffer.from(key, 'utf8'));
  mac.update(Buffer.concat([Buffer.from(decodedUrl, 'utf8'), Buffer.from(body, 'utf8')]));
  return mac.digest('base64');
}

describe('webhook signature', () => {
  it('is the HMAC-SHA1 of the URL followed by the body, base64 encoded', () => {
    const body = JSON.stringify({ $id: 'u1', name: 'Ada' });
    const sut = webhookSignature('https://hooks.example.com/in?x=1', body, 'k3y');
    expect(sut).toBe(expectedSignature('https://hooks.example.com/in?x=1', body, 'k3y'));
    expect(Buffer.from(sut, 'base64')).toHaveLength(20);
    expect(sut).not.toBe(webhookSignature('https://hooks.example.com/in?x=1', body, 'other'));
    expect(sut).not.toBe(webhookSignature('https://hooks.example.com/in?x=1', `${body} `, 'k3y'));
  });

  it('signs the URL-decoded URL, like PHP rawurldecode (plus signs stay, bad escapes stay)', () => {
    const body = '{}';
    expect(webhookSignature('https://h.test/a%20b?q=%C3%A9+x', body, 'k')).toBe(expectedSignature('https://h.test/a b?q=é+x', body, 'k'));
    expect(rawUrlDecode('/%zz%4').toString()).toBe('/%zz%4');
    expect(rawUrlDecode('%41%2f').toString()).toBe('A/');
  });
});

describe('webhook matching', () => {
  const fired = ['users.u1.create', 'users.*.create', 'users.u1', 'users.*'];

  it('selects webhooks whose events intersect the fired names', () => {
    const hooks = [
      { uid: 'a', events: ['users.*.create'] },
      { uid: 'b', events: ['users.*.delete', 'teams.*'] },
      { uid: 'c', events: ['users.*'] },
      { uid: 'd', events: [] },
      { uid: 'e', events: ['users.u2.create'] },
    ];
    expect(matchingWebhooks(hooks, fired).map((h) => h.uid)).toEqual(['a', 'c']);
    expect(subscribes({ events: ['users.u1.create'] }, fired)).toBe(true);
    expect(subscribes({ events: ['users.*.create'] }, [])).toBe(false);
  });
});

describe('webhook headers', () => {
  it('carries every 1.3 header with the joined event names and the signature of the exact body', () => {
    const job: WebhookJob = { projectId: 'p1', webhookIds: ['w1'], events: ['users.u1.create', 'users.*.create'], payload: { $id: 'u1' }, userId: 'admin1' };
    const body = JSON.stringify(job.payload);
    const headers = webhookHeaders({ uid: 'w1', name: 'Hook', url: 'http://h.test/in', signatureKey: 'sk' }, job, body, 'UA');
    expect(headers).toEqual({
      'Content-Type': 'application/json',
      'User-Agent': 'UA',
      'X-Appwrite-Webhook-Id': 'w1',
      'X-Appwrite-Webhook-Events': 'users.u1.create,users.*.create',
      'X-Appwrite-Webhook-Name': 'Hook',
      'X-Appwrite-Webhook-User-Id': 'admin1',
      'X-Appwrite-Webhook-Project-Id': 'p1',
      'X-Appwrite-Webhook-Signature': expectedSignature('http://h.test/in', body, 'sk'),
    });
    expect(webhookHeaders({ uid: 'w1', name: 'Hook', url: 'http://h.test/in', signatureKey: 'sk' }, { ...job, userId: undefined }, body, 'UA')['X-Appwrite-Webhook-User-Id']).toBe('');
  });
});

describe('WebhookEventSubscriber', () => {
  const event: AppEvent = { id: 'ev1', projectId: 'p1', events: ['users.u1.create', 'users.*.create'], payload: { $id: 'u1' }, userId: 'x', time: '2026-01-01T00:00:00.000+00:00' };

  function build(webhooks: { uid: string; events: string[] }[]) {
    const directory = { forProject: jest.fn().mockResolvedValue(webhooks) };
    const queue = { add: jest.fn().mockResolvedValue('1') };
    const sut = new WebhookEventSubscriber(directory as never, queue as never, { attempts: 2 });
    return { sut, directory, queue };
  }

  it('enqueues one valid job per subscribed webhook, named by event and webhook', async () => {
    const { sut, queue } = build([
      { uid: 'w1', events: ['users.*.create'] },
      { uid: 'w2', events: ['teams.*'] },
      { uid: 'w3', events: ['users.u1.create', 'users.*'] },
    ]);
    await sut.onEvent(event);
    expect(queue.add).toHaveBeenCalledTimes(2);
    const [job, options] = queue.add.mock.calls[0];
    expect(job).toEqual({ projectId: 'p1', webhookIds: ['w1'], events: event.events, payload: { $id: 'u1' }, eventId: 'ev1', userId: 'x' });
    expect(options).toEqual({ attempts: 2, jobId: 'p1.ev1.w1' });
    expect(queue.add.mock.calls[1][0].webhookIds).toEqual(['w3']);
    expect(payloadProblems(QueueName.Webhooks, job)).toEqual([]);
  });

  it('sends an empty object when the route answered without a model', async () => {
    const { sut, queue } = build([{ uid: 'w1', events: ['users.*.create'] }]);
    await sut.onEvent({ ...event, payload: undefined, userId: undefined });
    expect(queue.add.mock.calls[0][0]).toEqual({ projectId: 'p1', webhookIds: ['w1'], events: event.events, payload: {}, eventId: 'ev1' });
  });

  it('never looks up or delivers events of the console project', async () => {
    const { sut, directory, queue } = build([{ uid: 'w1', events: ['users.*.create'] }]);
    await sut.onEvent({ ...event, projectId: 'console' });
    expect(directory.forProject).not.toHaveBeenCalled();
    expect(queue.add).not.toHaveBeenCalled();
  });
});

describe('WebhooksJobHandler', () => {
  const config = { get: () => ({ securityEmailAddress: 'security@acme.test' }) };
  const context = { attempt: 1, enqueuedAt: 0, jobId: '1', queue: QueueName.Webhooks };
  const job: WebhookJob = { projectId: 'p1', webhookIds: ['w1'], events: ['users.u1.create', 'users.*.create'], payload: { $id: 'u1' } };

  it('skips a webhook deleted, or unsubscribed from the event, since the job was enqueued', async () => {
    const findByUid = jest.fn().mockResolvedValueOnce(null).mockResolvedValueOnce({ uid: 'w1', events: ['teams.*'], url: 'http://127.0.0.1:1/' });
    const sut = new WebhooksJobHandler({ findByUid } as never, config as never);
    await expect(sut.handle(job, context)).resolves.toEqual({ delivered: [] });
    await expect(sut.handle(job, context)).resolves.toEqual({ delivered: [] });
    expect(findByUid).toHaveBeenCalledWith('p1', 'w1');
  });

  it('never delivers a console job', async () => {
    const findByUid = jest.fn();
    const sut = new WebhooksJobHandler({ findByUid } as never, config as never);
    await expect(sut.handle({ ...job, projectId: 'console' }, context)).resolves.toEqual({ delivered: [] });
    expect(findByUid).not.toHaveBeenCalled();
  });
});
