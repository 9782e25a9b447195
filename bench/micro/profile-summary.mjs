// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by file, and total
// (inclusive) time of the functions matching --focus.
//   node bench/micro/profile-summary.mjs FILE [--from S] [--to S] [--top N] [--focus a,b]
//   --from/--to  seconds since the profile started: only samples in that window (e.g. skip the
//                connect phase of the im scenario and keep the message steps)
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string', default: '0' },
    to: { type: 'string', default: 'Infinity' },
    top: { type: 'string', default: '40' },
    focus: { type: 'string', default: '' },
  },
});
const profile = JSON.parse(fs.readFileSync(positionals[0], 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const from = Number(values.from) * 1e6;
const to = Number(values.to) * 1e6;
const selfCount = new Map();
let at = 0;
let total = 0;
profile.samples.forEach((id, index) => {
  at += profile.timeDeltas[index] ?? 0;
  if (at < from || at > to) return;
  selfCount.set(id, (selfCount.get(id) ?? 0) + 1);
  total += 1;
});
const interval = (profile.endTime - profile.startTime) / profile.samples.length; // µs per sample

const shortUrl = (url) => url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:').replace(/.*\/(server|bench)\//, '$1/');
const label = (frame) => `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
const add = (map, key, count) => map.set(key, (map.get(key) ?? 0) + count);

const byFunction = new Map();
const byFile = new Map();
const focus = values.focus ? values.focus.split(',') : [];
const inclusive = new Map();
for (const [id, count] of selfCount) {
  const frame = byId.get(id).callFrame;
  add(byFunction, label(frame), count);
  add(byFile, shortUrl(frame.url) || `(${frame.functionName})`, count);
  if (focus.length === 0) continue;
  const seen = new Set();
  for (let cursor = id; cursor !== undefined; cursor = parent.get(cursor)) {
    const name = byId.get(cursor).callFrame.functionName;
    for (const wanted of focus) {
      if (name === wanted && !seen.has(wanted)) {
        seen.add(wanted);
        add(inclusive, wanted, count);
      }
    }
  }
}

const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [key, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${((count / total) * 100).toFixed(1).padStart(5)} %  ${((count * interval) / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
};
console.log(`${total} samples, ${((total * interval) / 1e6).toFixed(2)} s in the window (${interval.toFixed(0)} µs each)`);
print('self time by function', byFunction);
print('self time by file', byFile);
if (focus.length > 0) print('total time (inclusive) of', inclusive);
