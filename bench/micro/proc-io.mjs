// Preloaded into a server (BENCH_SERVER_NODE_ARGS="--import $PWD/bench/micro/proc-io.mjs"): every
// 500 ms appends "ms-since-start cpu-ms syscr syscw" (the process's read and write system calls,
// /proc/self/io; Linux only) to $PROC_IO_DIR/io-<pid>.log (default /tmp). The restarted node's
// lines between listening and the last client caught up give CPU and system calls per client.
import { appendFileSync, readFileSync } from 'node:fs';
import { setInterval } from 'node:timers';

const started = Date.now();
const file = `${process.env.PROC_IO_DIR ?? '/tmp'}/io-${process.pid}.log`;
const sample = () => {
  const io = Object.fromEntries(readFileSync('/proc/self/io', 'utf8').trim().split('\n').map((line) => line.split(': ')));
  const cpu = process.cpuUsage();
  appendFileSync(file, `${Date.now() - started} ${((cpu.user + cpu.system) / 1000).toFixed(0)} ${io.syscr} ${io.syscw}\n`);
};
setInterval(sample, 500).unref();
sample();
