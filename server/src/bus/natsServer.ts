/** Where and as whom to connect, from a SWITCHBOARD_BUS URL. */
export interface NatsServer {
  servers: string;
  user?: string;
  pass?: string;
  token?: string;
}

/**
 * The NATS client takes credentials as options, not from the URL; this reads them the way NATS
 * tools do: `nats://user:pass@host` signs in with a user and password, `nats://token@host` with a token.
 */
export function natsServerFromUrl(url: string): NatsServer {
  const parsed = new URL(url);
  const user = decodeURIComponent(parsed.username);
  const pass = decodeURIComponent(parsed.password);
  const servers = `${parsed.protocol}//${parsed.host}`;
  if (user && pass) return { servers, user, pass };
  if (user) return { servers, token: user };
  return { servers };
}
