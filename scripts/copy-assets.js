// Copies what the TypeScript compiler does not: the SQL migrations, next to the compiled store
// (dist/src/store/migrations), where the app, the CLI and the container image read them.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
fs.cpSync(path.join(root, 'src/store/migrations'), path.join(root, 'dist/src/store/migrations'), { recursive: true });
