import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  build: { target: 'es2022', sourcemap: false, reportCompressedSize: false, rolldownOptions: { checks: { pluginTimings: false } } },
  // The dev server proxies the API so `vite dev` works against a running `appconda all` on 8080.
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
