import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig } from '@appconda/config';
import { dropSchema, testConfig, testDatabaseSettings, testSchemaName } from '@appconda/testing';
import { DataSource } from 'typeorm';

import { Database, DatabaseModule, MARIADB_POOL, UserRepository } from './index';

describe('DatabaseModule.forRoot', () => {
  const schema = testSchemaName();
  const config = testConfig({ _APP_DB_SCHEMA: schema });

  @Global()
  @Module({ providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] })
  class TestConfigModule {}

  async function startApp() {
    const moduleRef = await Test.createTestingModule({ imports: [TestConfigModule, DatabaseModule.forRoot({ poolSize: 2, rawPoolSize: 1 })] }).compile();
    return moduleRef;
  }

  afterAll(async () => {
    await dropSchema(testDatabaseSettings(schema));
  });

  it('creates and migrates the schema, and shares one DataSource between apps in the process', async () => {
    const [first, second] = await Promise.all([startApp(), startApp()]);
    const dataSource = first.get(DataSource);
    expect(second.get(DataSource)).toBe(dataSource);
    expect(second.get(MARIADB_POOL)).toBe(first.get(MARIADB_POOL));
    expect(first.get(Database)).toBeInstanceOf(Database);

    const users = first.get(UserRepository);
    await users.create('p', { uid: 'u1', registration: new Date() });

    await first.close();
    // The second app still holds a reference, so the shared pools stay open.
    expect(dataSource.isInitialized).toBe(true);
    expect(await second.get(UserRepository).findByUid('p', 'u1')).not.toBeNull();

    await second.close();
    expect(dataSource.isInitialized).toBe(false);
  });
});
