// Runs the product from its TypeScript sources in a child process, as jest runs it in-process:
// `node -r ./test/support/ts-child.js src/app.ts`. Transpile only, with SWC as jest does (types are
// checked once by `npm run typecheck`); the workspace packages resolve to their sources, as
// jest.config.js maps them. Transpiled files are cached by content in the temp folder, so a restarted
// replica or a second test's app process starts without transpiling again.
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');

const cacheDir = path.join(os.tmpdir(), 'aws-ir-ts-child-cache');
fs.mkdirSync(cacheDir, { recursive: true });
let swc;

const root = path.join(__dirname, '..', '..');
const packages = {
  '@aws-ir/aws-sandbox': path.join(root, 'packages/aws-sandbox/src/index.ts'),
  '@aws-ir/slack-standin': path.join(root, 'packages/slack-standin/src/index.ts'),
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveWorkspace(request, ...rest) {
  return resolve.call(this, packages[request] ?? request, ...rest);
};

function transpile(source, filename) {
  const cached = path.join(cacheDir, `${crypto.createHash('sha256').update('swc\0').update(filename).update('\0').update(source).digest('hex')}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    swc ??= require('@swc/core');
    const { code: outputText } = swc.transformSync(source, {
      filename,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    });
    // Written whole then renamed: a replica starting at the same time never reads half a file.
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, outputText);
    fs.renameSync(partial, cached);
    return outputText;
  }
}

require.extensions['.ts'] = (module, filename) => {
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
