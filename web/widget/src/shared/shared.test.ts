import { describe, expect, it } from 'vitest';
import { PANEL_MESSAGES } from '../panel/i18n.js';
import { CONFIG } from '../test/fixtures.js';
import { contrastText, isWidgetConfig, safeColor } from './config.js';
import { format, pickLanguage } from './lang.js';
import { LAUNCHER_MESSAGES } from './launcher-i18n.js';
import { WidgetStore, storageKey, type StorageLike } from './storage.js';

class MemoryStorage implements StorageLike {
  readonly map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

describe('language choice', () => {
  it('picks the first language the widget speaks', () => {
    expect(pickLanguage(['zh-CN', 'en-US'])).toBe('zh-CN');
    expect(pickLanguage(['zh-TW'])).toBe('zh-CN');
    expect(pickLanguage(['zh'])).toBe('zh-CN');
    expect(pickLanguage(['en-GB', 'zh-CN'])).toBe('en');
    expect(pickLanguage(['fr-FR', 'zh-CN'])).toBe('zh-CN');
    expect(pickLanguage(['fr-FR', 'de'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });
  it('lets the script tag override the browser', () => {
    expect(pickLanguage(['en-US'], 'zh-CN')).toBe('zh-CN');
    expect(pickLanguage(['zh-CN'], 'en')).toBe('en');
    expect(pickLanguage(['zh-CN'], 'xx')).toBe('zh-CN');
  });
  it('dictionaries have the same keys and placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const dictionaries of [PANEL_MESSAGES, LAUNCHER_MESSAGES] as Record<string, Record<string, string>>[]) {
      const en = dictionaries.en ?? {};
      const zh = dictionaries['zh-CN'] ?? {};
      expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en)) expect(placeholders(zh[key] ?? '')).toEqual(placeholders(en[key] ?? ''));
    }
  });
  it('formats placeholders as plain text', () => {
    expect(format('{name} joined', { name: '<b>Alice</b>' })).toBe('<b>Alice</b> joined');
    expect(format('{n} of {missing}', { n: 2 })).toBe('2 of {missing}');
  });
});

describe('storage', () => {
  it('scopes every key to the site key', () => {
    expect(storageKey('demo', 'token')).toBe('switchboard:demo:token');
    const local = new MemoryStorage();
    const session = new MemoryStorage();
    const demo = new WidgetStore('demo', local, session);
    const other = new WidgetStore('other', local, session);
    demo.token = 'a'.repeat(40);
    demo.chatOpen = true;
    demo.readSeq = 7;
    demo.panelOpen = true;
    expect(local.map.get('switchboard:demo:token')).toBe('a'.repeat(40));
    expect(session.map.get('switchboard:demo:panel')).toBe('open');
    expect(other.token).toBeNull();
    expect(other.chatOpen).toBe(false);
    expect(other.readSeq).toBe(0);
    expect(demo.chatOpen).toBe(true);
    expect(demo.readSeq).toBe(7);
  });
  it('ignores malformed tokens and survives blocked storage', () => {
    const local = new MemoryStorage();
    local.setItem('switchboard:demo:token', '<script>');
    local.setItem('switchboard:demo:chat', 'open');
    const store = new WidgetStore('demo', local, null);
    expect(store.token).toBeNull();
    expect(store.chatOpen).toBe(false);
    const throwing: StorageLike = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('blocked');
      },
      removeItem: () => {
        throw new Error('blocked');
      },
    };
    const blocked = new WidgetStore('demo', throwing, throwing);
    blocked.token = 'b'.repeat(40);
    expect(blocked.token).toBeNull();
    expect(blocked.panelOpen).toBe(false);
  });
});

describe('config', () => {
  it('checks the shape of a WidgetConfig', () => {
    expect(isWidgetConfig(CONFIG)).toBe(true);
    expect(isWidgetConfig({ ...CONFIG, preChatFields: [{ key: 'x' }] })).toBe(false);
    expect(isWidgetConfig({ ...CONFIG, online: 'yes' })).toBe(false);
    expect(isWidgetConfig(null)).toBe(false);
  });
  it('only lets #rrggbb colours into CSS and picks a readable text colour', () => {
    expect(safeColor('#4f46e5')).toBe('#4f46e5');
    expect(safeColor('red;background:url(x)')).toBe('#2563eb');
    expect(contrastText('#4f46e5')).toBe('#ffffff');
    expect(contrastText('#111827')).toBe('#ffffff');
    expect(contrastText('#facc15')).toBe('#111827');
    expect(contrastText('#ffffff')).toBe('#111827');
  });
});
