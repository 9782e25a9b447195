/** A rough reading of a User-Agent string: enough to tell an agent "Chrome 126 on Windows". */
export interface BrowserInfo {
  browser: string | null;
  version: string | null;
  os: string | null;
  mobile: boolean;
}

const BROWSERS: readonly [name: string, pattern: RegExp][] = [
  ['Edge', /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /\b(?:OPR|Opera)\/(\d+)/],
  ['Samsung Internet', /\bSamsungBrowser\/(\d+)/],
  ['WeChat', /\bMicroMessenger\/(\d+)/],
  ['UC Browser', /\bUCBrowser\/(\d+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /\b(?:Chrome|CriOS|HeadlessChrome|Chromium)\/(\d+)/],
  ['Safari', /\bVersion\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//],
];

const SYSTEMS: readonly [name: string, pattern: RegExp][] = [
  ['iOS', /\b(?:iPhone|iPad|iPod)\b/],
  ['Android', /\bAndroid\b/],
  ['Windows', /\bWindows\b/],
  ['ChromeOS', /\bCrOS\b/],
  ['macOS', /\bMac OS X\b|\bMacintosh\b/],
  ['Linux', /\bLinux\b/],
];

export function parseUserAgent(userAgent: string | null | undefined): BrowserInfo {
  const ua = userAgent ?? '';
  let browser: string | null = null;
  let version: string | null = null;
  for (const [name, pattern] of BROWSERS) {
    const match = pattern.exec(ua);
    if (match) {
      browser = name;
      version = match[1] ?? null;
      break;
    }
  }
  const os = SYSTEMS.find(([, pattern]) => pattern.test(ua))?.[0] ?? null;
  return { browser, version, os, mobile: /\bMobi|\biPhone\b|\bAndroid\b.*\bMobile\b/.test(ua) };
}

/** "Chrome 126 on Windows", "Safari 17 on iOS", or null when nothing could be read. */
export function describeUserAgent(userAgent: string | null | undefined, on: (browser: string, os: string) => string): string | null {
  const info = parseUserAgent(userAgent);
  const browser = info.browser ? `${info.browser}${info.version ? ` ${info.version}` : ''}` : null;
  if (browser && info.os) return on(browser, info.os);
  return browser ?? info.os;
}
