import { describe, expect, it } from 'vitest';
import { OriginPolicy } from './origins.js';

describe('OriginPolicy', () => {
  const policy = new OriginPolicy('https://chat.example.com/', ['https://intranet.example.com/']);

  it('allows the host itself, the public URL and configured extras', () => {
    expect(policy.isAllowed('http://127.0.0.1:8080', '127.0.0.1:8080')).toBe(true);
    expect(policy.isAllowed('https://chat.example.com', 'internal:8080')).toBe(true);
    expect(policy.isAllowed('https://intranet.example.com', 'internal:8080')).toBe(true);
  });

  it('refuses other origins and a missing one', () => {
    expect(policy.isAllowed('https://evil.example', '127.0.0.1:8080')).toBe(false);
    expect(policy.isAllowed('http://127.0.0.1:8081', '127.0.0.1:8080')).toBe(false);
    expect(policy.isAllowed(undefined, '127.0.0.1:8080')).toBe(false);
    expect(policy.isAllowed('null', '127.0.0.1:8080')).toBe(false);
  });
});
