// A real `laurel serve` on loopback (the Python package in .venv) over a fresh store, with an
// issuer, a badge class and awards made through the Python API: what the OB 3.0 status tests
// verify against, fetching the Profile and the status list over HTTP as a verifier would.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { repo } from './support.mjs';

const run = promisify(execFile);
const python = path.join(repo, '.venv/bin/python');
const laurelCli = path.join(repo, '.venv/bin/laurel');

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Runs `code` with the store path and base URL as argv[1..2]; its stdout is JSON.
async function py(code, ...args) {
  const { stdout } = await run(python, ['-c', code, ...args], { timeout: 120000 });
  return JSON.parse(stdout);
}

const AWARD = `
import json, sys, laurel
with laurel.Store(sys.argv[1]) as store:
    issuer = store.create_issuer("Status U", "badges@status.example", "https://status.example")
    badge = store.create_badgeclass(issuer.entity_id, "Revocable", "Can be revoked",
                                    criteria_url="https://status.example/criteria")
    kept = store.issue(badge, "kept@example.org")
    gone = store.issue(badge, "ada@example.org")
    rs256 = store.credentials([kept], sys.argv[2], alg="RS256")[0]["credential"]
    es256 = store.credential(kept, sys.argv[2], alg="ES256")
    print(json.dumps({"kept": store.credential(kept, sys.argv[2]), "gone": gone.entity_id,
                      "goneCredential": store.credential(gone, sys.argv[2]), "keptRs256": rs256,
                      "keptEs256": es256,
                      "profile": f"{sys.argv[2]}/public/ob3/issuers/{issuer.entity_id}"}))
`;

const REVOKE = `
import json, sys, laurel
with laurel.Store(sys.argv[1]) as store:
    store.revoke(sys.argv[2], "Issued in error")
print(json.dumps(True))
`;

/**
 * {origin, profile, kept, keptRs256, keptEs256, goneCredential, revoke(), close()}: a served
 * store with two awards and their VC-JWTs (EdDSA; the kept one also RS256 and ES256).
 */
export async function startLaurelServe() {
  const data = await mkdtemp(path.join(os.tmpdir(), 'laurel-serve-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const awards = await py(AWARD, data, origin);
  const child = spawn(laurelCli, ['serve', '--data', data, '--port', String(port), '--public-url', origin],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  for (let attempt = 0; ; attempt += 1) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 300 || child.exitCode !== null) throw new Error(`laurel serve did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    origin,
    kept: awards.kept,
    keptRs256: awards.keptRs256,
    keptEs256: awards.keptEs256,
    profile: awards.profile,
    goneCredential: awards.goneCredential,
    revoke: () => py(REVOKE, data, awards.gone),
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      await rm(data, { recursive: true, force: true });
    },
  };
}
