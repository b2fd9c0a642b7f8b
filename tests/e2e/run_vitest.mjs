// Runs web/'s vitest suite for ctest (web_unit); exit 77 (skipped) without node_modules.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const vitest = path.join(process.cwd(), 'node_modules', 'vitest', 'vitest.mjs');
if (!existsSync(vitest)) {
  console.log('web_unit: skipped: no web/node_modules (cd web && npm ci)');
  process.exit(77);
}
const result = spawnSync(process.execPath, [vitest, 'run', '--reporter=default'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
