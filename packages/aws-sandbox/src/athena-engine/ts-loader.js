// Lets the engine process run from the package's TypeScript sources (jest, and anything else that loads
// src/index.ts): `node -r ./ts-loader.js worker.ts`. Transpile only, with SWC, a development dependency
// of the package; the built package runs the compiled worker.js and never loads this file.
const fs = require('node:fs');

let swc;

require.extensions['.ts'] = (module, filename) => {
  swc ??= require('@swc/core');
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
