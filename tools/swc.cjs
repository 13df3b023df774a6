// One SWC configuration for the build (tools/build.mjs) and for jest (@swc/jest):
// decorator metadata is what NestJS dependency injection reads, and the tsconfig path aliases
// (@appconda/*) are rewritten to relative requires so the compiled tree runs on plain Node.
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));

function swcOptions({ sourceMaps = true } = {}) {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: root,
      paths: compilerOptions.paths,
    },
    module: { type: 'commonjs', strictMode: true, noInterop: false },
    sourceMaps,
    swcrc: false,
    configFile: false,
  };
}

module.exports = { root, swcOptions };
