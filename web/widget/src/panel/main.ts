import { PANEL_GLOBAL, type PanelApi, type WidgetHost } from '../shared/bridge.js';
import { adoptStyles } from '../shared/dom.js';
import { ChatController } from './controller.js';
import { translator } from './i18n.js';
import { PANEL_CSS } from './styles.js';
import { PanelView } from './view.js';

/* panel.js: the chat panel, loaded by loader.js on demand. It registers itself; the loader mounts it. */
function mount(host: WidgetHost): PanelApi {
  adoptStyles(host.root, PANEL_CSS);
  const t = translator(host.lang);
  const controller = new ChatController(host);
  const view = new PanelView(host, controller, t);
  host.root.appendChild(view.el);
  controller.start();
  return {
    open: () => view.open(),
    close: () => view.close(),
    get isOpen() {
      return view.isOpen;
    },
  };
}

window[PANEL_GLOBAL] = { mount };
