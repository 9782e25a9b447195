import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** The built web apps, each served under its own path; single-page apps fall back to index.html. */
const WEB_APPS = [
  { prefix: '/app/', dir: 'web/app/dist', spa: true },
  { prefix: '/admin/', dir: 'web/admin/dist', spa: true },
  { prefix: '/widget/', dir: 'web/widget/dist', spa: false },
] as const;

const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; media-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-frame-options': 'DENY',
};

export async function registerWebApps(app: FastifyInstance, repoRoot: string): Promise<string[]> {
  const served: string[] = [];
  let decorated = false;
  for (const web of WEB_APPS) {
    const root = path.join(repoRoot, web.dir);
    if (!fs.existsSync(path.join(root, 'index.html')) && !fs.existsSync(root)) continue;
    await app.register(fastifyStatic, {
      root,
      prefix: web.prefix,
      decorateReply: !decorated,
      index: ['index.html'],
      setHeaders: (res) => {
        if (web.spa) for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
      },
    });
    decorated = true;
    served.push(web.prefix);
  }

  app.setNotFoundHandler((request, reply) => {
    const spa = WEB_APPS.find((web) => web.spa && request.url.startsWith(web.prefix) && served.includes(web.prefix));
    if (request.method === 'GET' && spa && !request.url.startsWith('/api/')) {
      for (const [name, value] of Object.entries(PAGE_HEADERS)) reply.header(name, value);
      return reply.sendFile('index.html', path.join(repoRoot, spa.dir));
    }
    return reply.code(404).send({ error: { code: 'not_found', message: 'Not found.', retryable: false } });
  });
  app.get('/', (_request, reply) => reply.redirect('/app/'));
  app.get('/app', (_request, reply) => reply.redirect('/app/'));
  app.get('/admin', (_request, reply) => reply.redirect('/admin/'));
  return served;
}
