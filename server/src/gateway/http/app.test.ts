import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ImServer } from '../../im/index.js';
import { OriginPolicy } from '../origins.js';
import { createHttpApp } from './app.js';

const httpApp = async () => (await createHttpApp({} as ImServer, new OriginPolicy('http://localhost', []), { log: pino({ level: 'silent' }), secureCookies: 'false', trustProxy: false })).app;

describe('createHttpApp without JSON-schema compilers', () => {
  it('serves routes that validate with zod', async () => {
    const app = await httpApp();
    app.get('/plain', async () => ({ ok: true }));
    const response = await app.inject({ method: 'GET', url: '/plain' });
    expect(response.json()).toEqual({ ok: true });
    await app.close();
  });

  it('refuses a route that declares a JSON schema, loudly', async () => {
    const app = await httpApp();
    app.post('/typed', { schema: { body: { type: 'object' } } }, async () => ({ ok: true }));
    await expect(app.ready()).rejects.toThrow(/validate with zod/);
  });
});
