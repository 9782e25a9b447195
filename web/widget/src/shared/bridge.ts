import type { Lang } from './lang.js';
import type { WidgetConfig } from './protocol.js';
import type { WidgetStore } from './storage.js';

/*
 * The contract between loader.js (on the host page from the start) and panel.js (loaded on
 * demand). They are separate bundles: the loader injects panel.js as a classic script, panel.js
 * registers itself on `window[PANEL_GLOBAL]`, and the loader calls `mount` with this host.
 */

export const PANEL_GLOBAL = '__switchboardPanel';

export interface WidgetHost {
  siteKey: string;
  /** Origin of the Switchboard server (where loader.js came from), e.g. https://chat.example.com */
  serverOrigin: string;
  lang: Lang;
  /** The widget's shadow root: the panel adds its element and styles here. */
  root: ShadowRoot;
  /** The launcher button, for focus return. */
  launcher: HTMLButtonElement;
  store: WidgetStore;
  /** Config fetched by the loader over HTTP, if that worked; v.welcome brings a fresh one. */
  config: WidgetConfig | null;
  /** The panel tells the loader about what the launcher shows. */
  setOpen(open: boolean): void;
  setUnread(count: number): void;
  setConfig(config: WidgetConfig): void;
}

export interface PanelApi {
  open(): void;
  close(): void;
  readonly isOpen: boolean;
}

export interface PanelRegistry {
  mount(host: WidgetHost): PanelApi;
}

declare global {
  interface Window {
    [PANEL_GLOBAL]?: PanelRegistry;
  }
}
