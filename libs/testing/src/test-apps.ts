import { DynamicModule, INestApplicationContext, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigModule, resetAppConfig } from '@appconda/config';

/**
 * Nest application contexts a test starts (each with ConfigModule, like a service) and closes in
 * reverse order in afterAll: `const apps = new TestApps(); const worker = await apps.start(WorkerModule)`.
 */
export class TestApps {
  private readonly open: INestApplicationContext[] = [];

  async start(module: Type | DynamicModule): Promise<INestApplicationContext> {
    @Module({ imports: [ConfigModule, module] })
    class Root {}
    const app = await Test.createTestingModule({ imports: [Root] }).compile();
    this.open.push(app);
    await app.init();
    return app;
  }

  /** The first app started, if any. */
  get first(): INestApplicationContext | undefined {
    return this.open[0];
  }

  async closeAll(): Promise<void> {
    for (const app of this.open.splice(0).reverse()) await app.close();
  }
}

/** Polls `probe` every 50 ms until it returns something other than undefined; throws after `ms`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Sets environment variables for a test file and resets the AppConfig cache; the returned function
 * puts the previous values back (and resets the cache again). Call it in afterAll.
 */
export function overrideEnv(values: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  resetAppConfig();
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetAppConfig();
  };
}
