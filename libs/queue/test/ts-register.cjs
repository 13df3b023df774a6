// Lets a child Node process require the TypeScript sources directly (same SWC options as jest/build).
const fs = require('node:fs');
const { transformSync } = require('@swc/core');
const { swcOptions } = require('../../../tools/swc.cjs');

const options = swcOptions({ sourceMaps: false });
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
