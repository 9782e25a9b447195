// The generator side of harness.forkGenerator: answers `{ id, cmd, args }` from the harness with
// `{ id, result }` or `{ id, error }`, and ends the process (after `onGone`) when the harness goes.

import { setImmediate } from 'node:timers';

export function serveCommands(commands, onGone) {
  process.on('message', (request) => {
    const handler = commands[request.cmd];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${request.cmd}`);
        return handler(request.args ?? {});
      })
      .then(
        (result) => process.send({ id: request.id, result }),
        (error) => process.send({ id: request.id, error: String(error?.stack ?? error) }),
      );
  });
  // The harness going away ends the generator, whatever it was doing.
  process.on('disconnect', () => {
    onGone();
    setImmediate(() => process.exit(0));
  });
}
