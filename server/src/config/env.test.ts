import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './env.js';

describe('parseConfig', () => {
  it('applies defaults', () => {
    const config = parseConfig({});
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/data$/);
  });

  it('names every bad variable in one error', () => {
    expect(() => parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SWITCHBOARD_ADMIN_PASSWORD: 'short' })).toThrow(ConfigError);
    try {
      parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SWITCHBOARD_ADMIN_PASSWORD: 'short' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('SWITCHBOARD_ADMIN_PASSWORD');
    }
  });

  it.each(['redis://127.0.0.1:6379', 'rediss://cache.internal:6380', 'nats://127.0.0.1:4222'])('takes %s as the cluster bus', (url) => {
    expect(parseConfig({ SWITCHBOARD_BUS: url }).busUrl).toBe(url);
  });

  it('refuses a bus of another kind, naming the kinds it takes', () => {
    expect(() => parseConfig({ SWITCHBOARD_BUS: 'amqp://127.0.0.1:5672' })).toThrow(/SWITCHBOARD_BUS: .*redis:\/\/, rediss:\/\/ or nats:\/\//);
  });

  it('refuses a prefix that would make an empty NATS subject part, and only on NATS', () => {
    for (const prefix of ['.sb', 'sb.', 'sb..test']) {
      expect(() => parseConfig({ SWITCHBOARD_BUS: 'nats://127.0.0.1:4222', SWITCHBOARD_BUS_PREFIX: prefix })).toThrow(/SWITCHBOARD_BUS_PREFIX/);
      expect(parseConfig({ SWITCHBOARD_BUS: 'redis://127.0.0.1:6379', SWITCHBOARD_BUS_PREFIX: prefix }).busPrefix).toBe(prefix);
    }
    expect(parseConfig({ SWITCHBOARD_BUS: 'nats://127.0.0.1:4222', SWITCHBOARD_BUS_PREFIX: 'acme.chat:prod' }).busPrefix).toBe('acme.chat:prod');
  });
});
