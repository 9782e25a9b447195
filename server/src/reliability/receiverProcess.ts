import { LoadClient, type LoadClientOptions } from './loadClient.js';

/*
 * A receiving client in its own process, so a test can freeze it with SIGSTOP (a laptop lid
 * closing, a tab frozen by the browser) and thaw it with SIGCONT. Started with fork(); the
 * options come as JSON in argv[2]; it answers { type: 'report' } over IPC with what it holds.
 */

export interface HeldReport {
  ready: boolean;
  synced: boolean;
  connects: number;
  welcomes: number;
  anomalies: string[];
  /** conversationId → [seq, message id] pairs held. */
  held: Record<string, [number, string][]>;
}

const options = JSON.parse(process.argv[2] ?? '{}') as LoadClientOptions;
const client = new LoadClient(options);
client.start();

process.on('message', (message: { type?: string }) => {
  if (message.type === 'report') {
    const held: HeldReport['held'] = {};
    for (const [id, view] of client.conversations) held[id] = [...view.received.entries()].sort((a, b) => a[0] - b[0]);
    const report: HeldReport = { ready: client.ready, synced: client.synced, connects: client.connects, welcomes: client.welcomes, anomalies: client.anomalies, held };
    process.send?.({ type: 'report', report });
  } else if (message.type === 'stop') {
    client.stop();
    process.exit(0);
  }
});
// The parent going away ends this process too.
process.on('disconnect', () => process.exit(0));
