// Runs the product from its TypeScript sources in a child process, as jest runs it in-process:
// `node -r ./test/support/ts-child.js src/app.ts`. Transpile only (types are checked once by
// `npm run typecheck`); the workspace packages resolve to their sources, as jest.config.js maps them.
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const ts = require('typescript');

const root = path.join(__dirname, '..', '..');
const packages = {
  '@aws-ir/aws-sandbox': path.join(root, 'packages/aws-sandbox/src/index.ts'),
  '@aws-ir/slack-standin': path.join(root, 'packages/slack-standin/src/index.ts'),
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveWorkspace(request, ...rest) {
  return resolve.call(this, packages[request] ?? request, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
  });
  module._compile(outputText, filename);
};
