import { describe, expect, it } from 'vitest';
import { describeUserAgent, parseUserAgent } from './userAgent.js';

const on = (browser: string, os: string) => `${browser} on ${os}`;

describe('parseUserAgent', () => {
  it('reads the common browsers and systems', () => {
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', on)).toBe('Chrome 126 on Windows');
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68', on)).toBe(
      'Edge 126 on Windows',
    );
    expect(describeUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:127.0) Gecko/20100101 Firefox/127.0', on)).toBe('Firefox 127 on macOS');
    expect(describeUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', on)).toBe(
      'Safari 17 on iOS',
    );
    expect(describeUserAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36', on)).toBe('Chrome 126 on Android');
    expect(parseUserAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36').mobile).toBe(true);
  });

  it('gives up quietly on nonsense', () => {
    expect(describeUserAgent(null, on)).toBeNull();
    expect(describeUserAgent('<script>alert(1)</script>', on)).toBeNull();
    expect(describeUserAgent('curl/8.0', on)).toBeNull();
  });
});
