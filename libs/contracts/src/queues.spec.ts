import { QUEUE_NAMES, QUEUE_SERVICES, QueueName, queueOfService } from './queues';
import { SERVICES } from './services';

describe('queues', () => {
  it('has one worker service per queue, each a known service', () => {
    const services = QUEUE_NAMES.map((queue) => QUEUE_SERVICES[queue]);
    expect(new Set(services).size).toBe(QUEUE_NAMES.length);
    for (const service of services) expect(SERVICES).toContain(service);
    // Every worker app consumes one queue; so does the usage service (counter batches).
    expect(services.sort()).toEqual(SERVICES.filter((service) => service.startsWith('worker-') || service === 'usage').sort());
  });

  it('uses Appwrite 1.3 wire names', () => {
    expect(QueueName.Databases).toBe('v1-database');
    for (const queue of QUEUE_NAMES) expect(queue).toMatch(/^v1-[a-z]+$/);
  });

  it('finds the queue a worker consumes', () => {
    expect(queueOfService('worker-audits')).toBe(QueueName.Audits);
    expect(queueOfService('api')).toBeUndefined();
  });
});
