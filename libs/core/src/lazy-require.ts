/**
 * A getter that `require`s a package on its first call and returns the cached module after. For heavy
 * packages (native addons, SDKs) that only some code paths use: every thread that wires the module
 * would otherwise hold their code and source from start (see bench/README.md, "Memory of appconda
 * all"). Type it with a type-only import: `import type * as Acme from 'acme-client'` and
 * `const acme = lazyRequire<typeof Acme>('acme-client')`, then `acme().Client`.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: { module: T } | undefined;
  return () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the deferred load is the point
    loaded ??= { module: require(id) as T };
    return loaded.module;
  };
}
