import { AdoptedRuntime, InstallResult, RuntimeDefinition, RuntimeDriver, RuntimeEndpoint } from './driver';
import { RuntimePool, RuntimeRequest } from './runtime-pool';
import { runtimeSpec } from './runtimes';

/** An in-memory driver recording what the pool asked of it. */
class RecordingDriver implements RuntimeDriver {
  readonly kind = 'process' as const;
  readonly started: string[] = [];
  readonly stopped: string[] = [];
  readonly exits = new Map<string, () => void>();
  adoptable: AdoptedRuntime[] = [];
  startDelay = 0;

  async unavailable(): Promise<string | undefined> {
    return undefined;
  }
  async install(): Promise<InstallResult> {
    return { exitCode: 0, stdout: '', stderr: '', timedOut: false };
  }
  async start(definition: RuntimeDefinition, onExit: () => void): Promise<RuntimeEndpoint> {
    await new Promise((resolve) => setTimeout(resolve, this.startDelay));
    this.started.push(definition.name);
    this.exits.set(definition.name, onExit);
    return { name: definition.name, url: `http://127.0.0.1:1/${definition.name}` };
  }
  async stop(name: string): Promise<void> {
    this.stopped.push(name);
  }
  async adopt(): Promise<AdoptedRuntime[]> {
    return this.adoptable;
  }
  async close(): Promise<void> {}
}

const request = (deploymentId: string, buildId = 'b1'): RuntimeRequest => ({
  projectId: 'p',
  deploymentId,
  buildId,
  spec: runtimeSpec('node-18.0')!,
  artifact: '/x.tar.gz',
  entrypoint: 'index.js',
});

describe('RuntimePool', () => {
  let driver: RecordingDriver;
  let sut: RuntimePool;

  beforeEach(() => {
    driver = new RecordingDriver();
    sut = new RuntimePool(driver, { owner: 'o', secret: 's', maxWarm: 2, inactiveSeconds: 60 });
  });

  afterEach(() => sut.close());

  it('starts one runtime for concurrent cold calls of a deployment', async () => {
    driver.startDelay = 20;
    const runtimes = await Promise.all([sut.acquire(request('d1')), sut.acquire(request('d1')), sut.acquire(request('d1'))]);

    expect(driver.started).toHaveLength(1);
    expect(new Set(runtimes)).toEqual(new Set([runtimes[0]]));
    expect(runtimes[0].inflight).toBe(3);
  });

  it('stops the least recently used idle runtime at the warm limit, never a busy one', async () => {
    const a = await sut.acquire(request('a'));
    const b = await sut.acquire(request('b'));
    sut.release(b);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sut.acquire(request('c'));

    expect(driver.stopped).toEqual([b.name]);
    expect(a.inflight).toBe(1);
    expect(sut.list().map((r) => r.deploymentId).sort()).toEqual(['a', 'c']);
  });

  it('goes over the limit rather than stop a runtime with executions in flight', async () => {
    await sut.acquire(request('a'));
    await sut.acquire(request('b'));
    await sut.acquire(request('c'));

    expect(driver.stopped).toEqual([]);
    expect(sut.list()).toHaveLength(3);
  });

  it('reaps only idle runtimes past the threshold', async () => {
    const busy = await sut.acquire(request('busy'));
    const idle = await sut.acquire(request('idle'));
    sut.release(idle);

    expect(await sut.reap(Date.now() + 30_000)).toEqual([]);
    expect(await sut.reap(Date.now() + 61_000)).toEqual([idle.name]);
    expect(busy.inflight).toBe(1);
  });

  it('forgets a runtime that died, so the next call starts a new one', async () => {
    const first = await sut.acquire(request('d'));
    sut.release(first);
    driver.exits.get(first.name)?.();
    const second = await sut.acquire(request('d'));

    expect(second).not.toBe(first);
    expect(driver.started).toEqual([first.name, first.name]);
  });

  it('replaces the runtime of an older build, after its executions end', async () => {
    const old = await sut.acquire(request('d', 'b1'));
    const fresh = await sut.acquire(request('d', 'b2'));

    expect(fresh.name).not.toBe(old.name);
    expect(driver.stopped).toEqual([]);
    sut.release(old);
    await new Promise((resolve) => setImmediate(resolve));
    expect(driver.stopped).toEqual([old.name]);
  });

  it('adopts what the driver found and derives the same challenge for it', async () => {
    const name = sut.nameOf('p', 'd', 'b1');
    driver.adoptable = [{ name, url: 'http://10.0.0.2:3000', projectId: 'p', deploymentId: 'd', runtime: 'node-18.0', buildId: 'b1' }];
    await sut.init();
    const runtime = await sut.acquire(request('d', 'b1'));

    expect(driver.started).toEqual([]);
    expect(runtime.endpoint?.url).toBe('http://10.0.0.2:3000');
    expect(runtime.key).toMatch(/^[0-9a-f]{40}$/);
  });
});
