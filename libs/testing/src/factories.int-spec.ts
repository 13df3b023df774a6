import Redis from 'ioredis';
import { KeyRepository, ProjectRepository } from '@appconda/database';

import { ProjectFactory } from './factories';
import { createTestDatabase, TestDatabase } from './test-database';
import { deleteRedisKeys, testRedisPrefix } from './test-redis';
import { hashSecret } from '@appconda/auth';

describe('testing helpers', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('gives each test database its own migrated schema and a config pointing at it', async () => {
    expect(db.schema).toMatch(/^appconda_t_[0-9a-f]{12}$/);
    expect(db.config.get('db').schema).toBe(db.schema);
    const [row] = (await db.pool.query('SELECT DATABASE() AS name')) as { name: string }[];
    expect(row.name).toBe(db.schema);
  });

  it('seeds a project with an API key under that project', async () => {
    const keys = new KeyRepository(db.dataSource);
    const { project, key } = await ProjectFactory.from({ name: 'Seeded' }).withApiKey(['databases.read']).seed({ projects: new ProjectRepository(db.dataSource), keys });
    expect(project).toMatchObject({ name: 'Seeded', project: 'console' });
    expect(key).toMatchObject({ project: project.uid, scopes: ['databases.read'] });
    expect(await keys.findBySecret(project.uid, hashSecret(key!.secret))).not.toBeNull();
  });

  it('deletes only the keys under a test prefix', async () => {
    const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    const prefix = testRedisPrefix();
    const other = testRedisPrefix();
    try {
      await redis.connect();
      await redis.set(`${prefix}:a`, '1');
      await redis.set(`${prefix}:b`, '1');
      await redis.set(`${other}:c`, '1');
      expect(await deleteRedisKeys(redis, prefix)).toBe(2);
      expect(await redis.exists(`${other}:c`)).toBe(1);
      await expect(deleteRedisKeys(redis, 'appconda')).rejects.toThrow(/refusing/);
    } finally {
      await deleteRedisKeys(redis, other).catch(() => undefined);
      redis.disconnect();
    }
  });
});
