#!/usr/bin/env node
// Size budget of the widget: gzip each built file and fail the build when over budget.
//   loader.js (on every host page)                    <= 5 KB gzip
//   panel.js + anything else it loads (the chat panel) <= 40 KB gzip
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const LOADER_BUDGET = 5 * 1024;
const PANEL_BUDGET = 40 * 1024;

const files = readdirSync(dist).filter((name) => /\.(js|css)$/.test(name) && statSync(path.join(dist, name)).isFile());
if (!files.includes('loader.js') || !files.includes('panel.js')) {
  console.error(`size: dist/loader.js and dist/panel.js must exist (found: ${files.join(', ') || 'nothing'})`);
  process.exit(1);
}

const gzip = (name) => gzipSync(readFileSync(path.join(dist, name)), { level: 9 }).length;
const raw = (name) => statSync(path.join(dist, name)).size;
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

let panelTotal = 0;
console.log('widget sizes (gzip -9):');
for (const name of files.sort()) {
  const size = gzip(name);
  if (name !== 'loader.js') panelTotal += size;
  console.log(`  ${name.padEnd(12)} ${kb(raw(name)).padStart(10)} raw  ${kb(size).padStart(9)} gzip`);
}
const loader = gzip('loader.js');
const lines = [
  [`loader.js`, loader, LOADER_BUDGET],
  [`panel (all but loader)`, panelTotal, PANEL_BUDGET],
];
let failed = false;
for (const [label, size, budget] of lines) {
  const ok = size <= budget;
  failed ||= !ok;
  console.log(`  ${ok ? 'ok  ' : 'OVER'} ${label}: ${kb(size)} of ${kb(budget)} budget`);
}
process.exit(failed ? 1 : 0);
