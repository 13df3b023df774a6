// The console is a static single-page app: no server rendering, one fallback page that the api serves
// for every console path, hashed assets under /console/_app/immutable/.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const out = '../../dist/apps/console';

export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ pages: out, assets: out, fallback: 'index.html', precompress: true, strict: true }),
    paths: { base: '/console', relative: false },
    appDir: '_app',
    output: { bundleStrategy: 'split' },
    version: { pollInterval: 0 },
    typescript: {
      // The SDK's package.json `exports` has no `types` condition: point the type checker at its declarations.
      config(config) {
        config.compilerOptions.paths['@appwrite.io/console'] = ['../../../node_modules/@appwrite.io/console/types/index.d.ts'];
      },
    },
  },
};
