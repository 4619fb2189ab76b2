/*
 * `node -r ./transpile-on-require.cjs src/app.ts`: runs the product's TypeScript sources in a child
 * process without a build, for tests that need the real app as its own process (so a crash shows as
 * an exit code, not as a failed test worker). Each .ts file is transpiled alone (the repository
 * compiles with isolatedModules, so that is exactly what tsc emits); type checking stays
 * `npm run typecheck`'s job.
 */
const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  inlineSourceMap: true,
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
