import { describe, expect, it } from 'vitest';
import { natsServerFromUrl } from './natsServer.js';

describe('natsServerFromUrl', () => {
  it('keeps a URL without credentials as it is', () => {
    expect(natsServerFromUrl('nats://127.0.0.1:4222')).toEqual({ servers: 'nats://127.0.0.1:4222' });
  });

  it('takes a user and password out of the URL', () => {
    expect(natsServerFromUrl('nats://switch%40board:p%3Ass@nats.internal:4222')).toEqual({ servers: 'nats://nats.internal:4222', user: 'switch@board', pass: 'p:ss' });
  });

  it('takes a lone user part as a token', () => {
    expect(natsServerFromUrl('nats://s3cret@nats.internal')).toEqual({ servers: 'nats://nats.internal', token: 's3cret' });
  });
});
