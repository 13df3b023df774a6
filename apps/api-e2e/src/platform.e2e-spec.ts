import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { SERVICES } from '@appconda/contracts';
import { firstValueFrom, timeout } from 'rxjs';

const endpoint = process.env.APPCONDA_E2E_ENDPOINT!;

describe('platform (appconda all)', () => {
  it('serves /v1/health/version without authentication', async () => {
    const res = await fetch(`${endpoint}/health/version`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ version: '1.3.8' });
  });

  it('answers unknown routes with the Appwrite error body', async () => {
    const res = await fetch(`${endpoint}/no/such/route`, { headers: { 'x-appwrite-project': 'console' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: expect.any(String), code: 404, type: 'general_route_not_found', version: '1.3.8' });
  });

  describe('Redis transport', () => {
    let client: ClientProxy;

    beforeAll(async () => {
      client = ClientProxyFactory.create({
        transport: Transport.REDIS,
        options: { host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379) },
      });
      await client.connect();
    });

    afterAll(() => client.close());

    it.each([...SERVICES])('%s answers its health pattern from the one process', async (service) => {
      const pattern = `${process.env.APPCONDA_E2E_REDIS_PREFIX}.health.${service}`;
      const answer = await firstValueFrom(client.send(pattern, {}).pipe(timeout(5000)));
      // realtime adds its live figures (open connections, deliveries…) to the health answer.
      const details =
        service === 'realtime'
          ? {
              connections: expect.any(Number),
              delivered: expect.any(Number),
              opened: expect.any(Number),
              projects: expect.any(Object),
              refused: expect.any(Number),
              replica: expect.any(String),
              slowConsumersClosed: expect.any(Number),
              subscribed: expect.any(Number),
            }
          : {};
      expect(answer).toEqual({ service, status: 'pass', pid: Number(process.env.APPCONDA_E2E_PID), uptime: expect.any(Number), ...details });
    });
  });
});
