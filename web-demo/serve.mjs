// Serves this folder on loopback for trying the widget: `node web-demo/serve.mjs [port]`
// (after `make wasm`, which copies the module to web-demo/laurel/). Prints the URL; Ctrl-C stops.
// Any static server works as well; `laurel serve` will serve the widget at /verify.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.argv[2] ?? process.env.PORT ?? 8731);
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css' };

if (!existsSync(path.join(root, 'laurel/laurel.mjs'))) {
  console.error('web-demo/laurel/laurel.mjs is missing: run `make wasm` first.');
  process.exit(1);
}

const server = http.createServer(async (request, response) => {
  const urlPath = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
  const file = path.join(root, path.posix.normalize(urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath));
  try {
    if (!file.startsWith(root + path.sep) || !(await stat(file)).isFile()) throw new Error('not found');
    response.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
    response.end(await readFile(file));
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  }
});
server.listen(port, '127.0.0.1', () => {
  console.log(`Laurel's verification widget: http://127.0.0.1:${server.address().port}/`);
});
