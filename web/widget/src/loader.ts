import { PANEL_GLOBAL, type PanelApi, type PanelRegistry, type WidgetHost } from './shared/bridge.js';
import { contrastText, isWidgetConfig, safeColor } from './shared/config.js';
import { adoptStyles, h, icon } from './shared/dom.js';
import { ICON_CHAT, ICON_CLOSE } from './shared/icons.js';
import { format, pickLanguage } from './shared/lang.js';
import { LAUNCHER_MESSAGES } from './shared/launcher-i18n.js';
import type { WidgetConfig } from './shared/protocol.js';
import { WidgetStore, safeStorage } from './shared/storage.js';

/*
 * loader.js: the only script a site embeds.
 *   <script src="https://chat.example.com/widget/loader.js" data-site-key="demo" async></script>
 * It draws the launcher button in a shadow root, asks the server whether anyone is on duty, and
 * loads panel.js (the chat) on the first click, or at once when the visitor has an open chat.
 */

declare const __BUILD_ID__: string;

const LAUNCHER_CSS = `
:host{all:initial}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;border-radius:50%;border:0;margin:0;padding:0;cursor:pointer;display:grid;place-items:center;
background:var(--sb-color,#2563eb);color:var(--sb-on-color,#fff);box-shadow:0 6px 24px rgba(15,23,42,.28);transition:transform .15s ease,box-shadow .15s ease,opacity .2s;opacity:0}
.launcher.ready{opacity:1}
.launcher:hover{transform:scale(1.06);box-shadow:0 8px 30px rgba(15,23,42,.34)}
.launcher:focus-visible{outline:3px solid var(--sb-color,#2563eb);outline-offset:3px}
.launcher .icon{width:28px;height:28px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;position:absolute;transition:transform .2s,opacity .2s}
.launcher .x{opacity:0;transform:rotate(-90deg)}
[aria-expanded=true] .x{opacity:1;transform:none}
[aria-expanded=true] .c{opacity:0;transform:rotate(90deg)}
.launcher .state{position:absolute;right:2px;bottom:2px;width:14px;height:14px;border-radius:50%;border:2px solid #fff;background:#94a3b8}
[data-online=true] .state{background:#22c55e}
.launcher .badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font:700 12px/22px system-ui,sans-serif;text-align:center;box-shadow:0 0 0 2px #fff}
.launcher [hidden]{display:none}
@media (max-width:480px){.launcher[aria-expanded=true]{display:none}}
@media (prefers-reduced-motion:reduce){.launcher,.launcher .icon{transition:none}}
`;

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.siteKey) return current;
  const scripts = document.querySelectorAll<HTMLScriptElement>('script[data-site-key][src*="loader"]');
  return scripts[scripts.length - 1] ?? null;
}

function boot(script: HTMLScriptElement): void {
  const siteKey = script.dataset.siteKey ?? '';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(siteKey)) {
    console.warn('[switchboard] data-site-key is missing or invalid');
    return;
  }
  for (const existing of document.getElementsByTagName('switchboard-widget')) if (existing.getAttribute('data-site-key') === siteKey) return;

  const src = new URL(script.src, location.href);
  const serverOrigin = src.origin;
  const lang = pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language], script.dataset.lang);
  const t = LAUNCHER_MESSAGES[lang];
  const store = new WidgetStore(
    siteKey,
    safeStorage(() => localStorage),
    safeStorage(() => sessionStorage),
  );

  const element = document.createElement('switchboard-widget');
  element.setAttribute('data-site-key', siteKey);
  // Open, so tests (and assistive tools) can reach inside; the page's CSS still cannot.
  const root = element.attachShadow({ mode: 'open' });
  adoptStyles(root, LAUNCHER_CSS);
  const badge = h('span', { class: 'badge', id: 'sb-unread', 'data-testid': 'sb-unread', hidden: true });
  const state = h('span', { class: 'state', 'aria-hidden': 'true', hidden: true });
  const launcher = h(
    'button',
    { type: 'button', class: 'launcher', 'aria-label': t.launcher, 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': 'sb-panel', 'data-testid': 'sb-launcher', title: t.launcher },
    icon(ICON_CHAT, 'icon c'),
    icon(ICON_CLOSE, 'icon x'),
    state,
    badge,
  );
  root.appendChild(launcher);
  (document.body ?? document.documentElement).appendChild(element);

  let panel: PanelApi | null = null;
  let loading: Promise<PanelApi> | null = null;

  const host: WidgetHost = {
    siteKey,
    serverOrigin,
    lang,
    root,
    launcher,
    store,
    config: null,
    setOpen(open) {
      launcher.setAttribute('aria-expanded', String(open));
      store.panelOpen = open;
    },
    setUnread(count) {
      badge.hidden = count <= 0;
      badge.textContent = count > 9 ? '9+' : String(count);
      badge.setAttribute('aria-label', format(t.unread, { n: count }));
      if (count > 0) launcher.setAttribute('aria-describedby', 'sb-unread');
      else launcher.removeAttribute('aria-describedby');
    },
    setConfig(config) {
      host.config = config;
      const color = safeColor(config.color);
      element.style.setProperty('--sb-color', color);
      element.style.setProperty('--sb-on-color', contrastText(color));
      launcher.dataset.online = String(config.online);
      launcher.title = `${t.launcher} · ${config.online ? t.online : t.offline}`;
      state.hidden = false;
    },
  };

  const loadPanel = (): Promise<PanelApi> => {
    if (panel) return Promise.resolve(panel);
    loading ??= new Promise<PanelRegistry>((resolve, reject) => {
      const existing = window[PANEL_GLOBAL];
      if (existing) return resolve(existing);
      const tag = document.createElement('script');
      tag.src = new URL(`panel.js?v=${__BUILD_ID__}`, src).href;
      tag.async = true;
      tag.onload = () => {
        const registry = window[PANEL_GLOBAL];
        if (registry) resolve(registry);
        else reject(new Error('panel.js did not register'));
      };
      tag.onerror = () => reject(new Error('panel.js failed to load'));
      document.head.appendChild(tag);
    }).then((registry) => (panel = registry.mount(host)));
    loading.catch(() => {
      loading = null;
      launcher.removeAttribute('aria-busy');
    });
    return loading;
  };

  launcher.addEventListener('click', () => {
    if (panel) {
      if (panel.isOpen) panel.close();
      else panel.open();
      return;
    }
    launcher.setAttribute('aria-busy', 'true');
    loadPanel().then(
      (api) => {
        launcher.removeAttribute('aria-busy');
        api.open();
      },
      (error: unknown) => console.warn('[switchboard]', error),
    );
  });

  const ready = () => launcher.classList.add('ready');
  fetch(new URL(`/api/visitor/sites/${encodeURIComponent(siteKey)}/config`, serverOrigin), { credentials: 'omit' })
    .then(async (response) => {
      const body: unknown = await response.json().catch(() => null);
      // The server's own 404 (a JSON error): this site key does not exist, so no widget. Any other
      // failure (server down, proxy error) keeps the launcher; the panel will keep trying.
      if (response.status === 404 && (body as { error?: { code?: string } } | null)?.error?.code === 'not_found') {
        console.warn(`[switchboard] unknown site key "${siteKey}"`);
        element.remove();
        return;
      }
      // { config: WidgetConfig } (a bare WidgetConfig is accepted too).
      const config: unknown = (body as { config?: unknown } | null)?.config ?? body;
      if (response.ok && isWidgetConfig(config)) host.setConfig(config as WidgetConfig);
      ready();
    })
    .catch(() => ready());

  // A chat in progress continues on this page: load the panel now (unread badge, open if it was open).
  if (store.chatOpen) {
    loadPanel().then(
      (api) => {
        if (store.panelOpen) api.open();
      },
      (error: unknown) => console.warn('[switchboard]', error),
    );
  }
}

const script = findScript();
if (script) {
  if (document.body) boot(script);
  else document.addEventListener('DOMContentLoaded', () => boot(script), { once: true });
} else console.warn('[switchboard] loader.js could not find its <script data-site-key> tag');
