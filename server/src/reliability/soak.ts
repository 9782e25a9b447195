import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './harness.js';
import type { SummaryRecord } from './verify.js';

/*
 * `npm run soak`: the fault suite in its long form (SWITCHBOARD_SOAK=1: more kill runs and kills,
 * more flapping, a bigger reconnect storm, longer outages), then one summary over everything:
 * kills, messages acked, lost, duplicated. Exits non-zero if a test failed or anything was lost.
 * Knobs: SWITCHBOARD_SOAK_RUNS, SWITCHBOARD_SOAK_KILLS, SWITCHBOARD_STORM_CLIENTS,
 * SWITCHBOARD_TEST_STORES, SWITCHBOARD_FAULT_SEED.
 */

const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-soak-')), 'summary.jsonl');
fs.writeFileSync(summaryFile, '');
const started = Date.now();
const vitest = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'integration', 'server/src/reliability'], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env: { ...process.env, SWITCHBOARD_SOAK: '1', SWITCHBOARD_FAULT_SUMMARY: summaryFile },
});

const records = fs
  .readFileSync(summaryFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as SummaryRecord);
fs.rmSync(path.dirname(summaryFile), { recursive: true, force: true });
const total = { kills: 0, acked: 0, lost: 0, duplicated: 0, gaps: 0, undelivered: 0, unacked: 0 };
for (const record of records) {
  total.kills += record.kills ?? 0;
  for (const key of ['acked', 'lost', 'duplicated', 'gaps', 'undelivered', 'unacked'] as const) total[key] += record[key];
}
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
process.stdout.write(
  [
    '',
    `Soak summary (${records.length} scenarios, ${minutes} min):`,
    ...records.map((record) => `  ${`${record.test} ${record.store}`.padEnd(44)} kills=${record.kills ?? 0} acked=${record.acked} lost=${record.lost} duplicated=${record.duplicated} gaps=${record.gaps} undelivered=${record.undelivered}`),
    `[soak] kills=${total.kills} acked=${total.acked} lost=${total.lost} duplicated=${total.duplicated} gaps=${total.gaps} undelivered=${total.undelivered} unacked=${total.unacked}`,
    '',
  ].join('\n'),
);
const clean = total.lost === 0 && total.duplicated === 0 && total.gaps === 0 && total.undelivered === 0 && total.unacked === 0;
process.exit(vitest.status === 0 && clean && records.length > 0 ? 0 : 1);
