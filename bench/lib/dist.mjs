// Which compiled server the harness runs: server/dist, or BENCH_SERVER_DIST (another build, for
// an A/B comparison, or a snapshot that other people's rebuilds cannot change mid-run). The seed
// step and the server process must use the same build, or their migrations disagree.

import { pathToFileURL } from 'node:url';

export function serverDist() {
  const dir = process.env.BENCH_SERVER_DIST;
  return dir ? pathToFileURL(`${dir.replace(/\/$/, '')}/`).href : new URL('../../server/dist/', import.meta.url).href;
}

export function importServer(path, dist = serverDist()) {
  return import(new URL(path, dist).href);
}
