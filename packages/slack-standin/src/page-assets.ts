/**
 * Serves the page's static files (plain HTML/CSS/JS, no build step). They live in the package's
 * public/ folder, next to both src/ (tests) and dist/ (compiled).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Only these files are served: no path from the URL ever reaches the file system. */
const FILES = ['index.html', 'app.js', 'blocks.js', 'mrkdwn.js', 'style.css', 'favicon.svg'] as const;

function pageDir(): string {
  const candidates = [
    // The package's public/ folder, from src/ (ts-jest) and from dist/ (compiled) alike.
    resolve(__dirname, '../public'),
  ];
  const found = candidates.find((d) => existsSync(join(d, 'index.html')));
  if (!found) throw new Error(`The local page's files were not found (looked in ${candidates.join(', ')}).`);
  return found;
}

let cache: Map<string, { type: string; body: Buffer }> | undefined;

function load(): Map<string, { type: string; body: Buffer }> {
  if (cache) return cache;
  const dir = pageDir();
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const name of FILES) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    const ext = name.slice(name.lastIndexOf('.'));
    files.set(`/${name}`, { type: TYPES[ext] ?? 'application/octet-stream', body: readFileSync(path) });
  }
  files.set('/', files.get('/index.html') ?? { type: TYPES['.html'] ?? 'text/html', body: Buffer.from('missing page') });
  // Files are read once in production; re-read on every request while developing the page.
  if (process.env.AWS_IR_LOCAL_PAGE_DEV !== '1') cache = files;
  return files;
}

export function servePageAsset(path: string, res: ServerResponse): boolean {
  const file = load().get(path);
  if (!file) return false;
  res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length, 'cache-control': 'no-cache' });
  res.end(file.body);
  return true;
}
