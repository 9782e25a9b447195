import type { WidgetHost } from '../shared/bridge.js';
import { contrastText, safeColor } from '../shared/config.js';
import { append, h, icon } from '../shared/dom.js';
import { MAX_MESSAGE_CHARS, type WidgetConfig } from '../shared/protocol.js';
import type { ChatController } from './controller.js';
import { offlineFormFields, preChatFormFields, startRequest, validateForm, type FieldError, type FormField } from './forms.js';
import { ICON_CHAT } from '../shared/icons.js';
import { ICON_CHECK, ICON_END, ICON_MAIL, ICON_MINIMIZE, ICON_SEND } from './icons.js';
import type { Translate } from './i18n.js';
import { continues, renderItem } from './render.js';
import { initial } from './text.js';

type Field = { def: FormField; input: HTMLInputElement | HTMLTextAreaElement; error: HTMLElement };

/** The chat panel: a non-modal dialog in the widget's shadow root, rendered from the controller's state. */
export class PanelView {
  readonly el: HTMLDivElement;
  isOpen = false;
  private readonly title = h('h2', { id: 'sb-title', class: 'title', 'data-testid': 'sb-title' });
  private readonly avatar = h('div', { class: 'avatar', 'aria-hidden': 'true' });
  private readonly status = h('p', { id: 'sb-status', class: 'status', 'data-testid': 'sb-status' });
  private readonly endButton: HTMLButtonElement;
  private readonly banner = h('div', { class: 'banner', role: 'status', 'data-testid': 'sb-banner' });
  private readonly confirm: HTMLDivElement;
  private readonly confirmCancel: HTMLButtonElement;
  private readonly body = h('div', { class: 'body' });
  private readonly greeting = h('li', { class: 'msg msg-agent greeting', 'data-testid': 'sb-greeting' });
  private readonly log: HTMLOListElement;
  private readonly loading: HTMLDivElement;
  private readonly prechat = h('form', { class: 'card prechat', 'data-testid': 'sb-prechat', novalidate: true });
  private prechatKey = '';
  private prechatFields: Field[] = [];
  private departmentSelect: HTMLSelectElement | null = null;
  private readonly startError = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'sb-start-error' });
  private readonly offline: HTMLFormElement;
  private readonly offlineFields: Field[];
  private readonly offlineError = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'sb-offline-error' });
  private readonly offlineSubmit: HTMLButtonElement;
  private offlineDepartment: HTMLSelectElement | null = null;
  private readonly thanks: HTMLDivElement;
  private readonly thanksText = h('p', { 'data-testid': 'sb-offline-thanks-text' });
  private readonly queue = h('div', { class: 'queue', role: 'status', 'data-testid': 'sb-queue' });
  private readonly typing = h('div', { class: 'typing', 'aria-live': 'polite', 'data-testid': 'sb-typing' });
  private readonly composer: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly closedBar: HTMLDivElement;
  private readonly newChatButton: HTMLButtonElement;
  private readonly items = new Map<string, { li: HTMLLIElement; sig: string }>();
  private lastPhase = '';

  constructor(
    private readonly host: WidgetHost,
    private readonly controller: ChatController,
    private readonly t: Translate,
  ) {
    const close = h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('dialog.minimize'), title: t('dialog.minimize'), 'data-testid': 'sb-minimize', onclick: () => this.close() }, icon(ICON_MINIMIZE));
    this.endButton = h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('dialog.end'), title: t('dialog.end'), 'data-testid': 'sb-end', onclick: () => this.askEnd(true) }, icon(ICON_END));

    this.confirmCancel = h('button', { type: 'button', class: 'btn ghost', 'data-testid': 'sb-end-cancel', text: t('end.cancel'), onclick: () => this.askEnd(false) });
    this.confirm = h(
      'div',
      { class: 'confirm', role: 'group', 'aria-labelledby': 'sb-confirm-q', 'data-testid': 'sb-end-confirm', hidden: true },
      h('p', { id: 'sb-confirm-q', text: t('end.question') }),
      h('div', { class: 'row' }, this.confirmCancel, h('button', { type: 'button', class: 'btn danger', 'data-testid': 'sb-end-yes', text: t('end.confirm'), onclick: () => this.endChat() })),
    );

    this.log = h('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t('chat.log'), 'data-testid': 'sb-messages' });
    this.loading = h('div', { class: 'loading', role: 'status', 'data-testid': 'sb-loading' });

    this.prechat.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submitPrechat();
    });

    this.offlineFields = offlineFormFields(t).map((def) => this.field('sb-off-', def));
    this.offlineSubmit = h('button', { type: 'submit', class: 'btn primary block', 'data-testid': 'sb-offline-submit', text: t('offline.submit') });
    this.offline = h(
      'form',
      { class: 'card offline', 'data-testid': 'sb-offline-form', novalidate: true, 'aria-labelledby': 'sb-off-title' },
      h('div', { class: 'card-title' }, h('span', { class: 'card-icon', 'aria-hidden': 'true' }, icon(ICON_MAIL)), h('h3', { id: 'sb-off-title', text: t('offline.title') })),
      h('p', { class: 'muted', text: t('offline.intro') }),
      ...this.offlineFields.map((field) => field.input.parentElement),
      this.offlineError,
      this.offlineSubmit,
    );
    this.offline.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submitOffline();
    });

    this.thanks = h(
      'div',
      { class: 'card thanks', 'data-testid': 'sb-offline-thanks', tabindex: '-1' },
      h('div', { class: 'card-icon ok', 'aria-hidden': 'true' }, icon(ICON_CHECK)),
      h('h3', { text: t('offline.thanksTitle') }),
      this.thanksText,
      h('button', { type: 'button', class: 'btn ghost block', 'data-testid': 'sb-offline-again', text: t('offline.again'), onclick: () => this.controller.offlineAgain() }),
    );

    this.input = h('textarea', {
      id: 'sb-input',
      rows: 1,
      maxlength: MAX_MESSAGE_CHARS,
      placeholder: t('composer.placeholder'),
      'data-testid': 'sb-input',
      enterkeyhint: 'send',
    });
    this.input.addEventListener('keydown', (event) => {
      // Enter sends; Shift+Enter is a new line; never while an IME (Chinese input) is composing.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        this.submitComposer();
      }
    });
    this.input.addEventListener('input', () => {
      this.autosize();
      if (this.input.value.trim()) this.controller.typing();
    });
    this.composer = h(
      'form',
      { class: 'composer', 'data-testid': 'sb-composer' },
      h('label', { for: 'sb-input', class: 'vh', text: t('composer.label') }),
      this.input,
      h('button', { type: 'submit', class: 'send', 'aria-label': t('composer.send'), title: t('composer.send'), 'data-testid': 'sb-send' }, icon(ICON_SEND)),
    );
    this.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submitComposer();
    });

    this.newChatButton = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'sb-new-chat', text: t('chat.newChat'), onclick: () => this.controller.newChat() });
    this.closedBar = h('div', { class: 'closed-bar', 'data-testid': 'sb-closed' }, h('p', { text: t('chat.ended') }), this.newChatButton);

    this.el = h(
      'div',
      { class: 'panel', id: 'sb-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'sb-title', 'aria-describedby': 'sb-status', 'data-testid': 'sb-panel', hidden: true, lang: host.lang },
      h('header', { class: 'head' }, this.avatar, h('div', { class: 'head-text' }, this.title, this.status), this.endButton, close),
      this.banner,
      this.confirm,
      this.body,
      this.queue,
      this.typing,
      this.composer,
      this.closedBar,
      h('div', { class: 'foot', text: t('dialog.poweredBy') }),
    );
    this.el.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      if (!this.confirm.hidden) this.askEnd(false);
      else this.close();
    });
    host.launcher.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.isOpen) this.close();
    });
    controller.subscribe(() => this.render());
    this.render();
  }

  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.el.hidden = false;
    this.host.setOpen(true);
    this.controller.setPanelOpen(true);
    this.render();
    this.scrollToEnd();
    requestAnimationFrame(() => this.focusPrimary());
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.el.hidden = true;
    this.askEnd(false, false);
    this.host.setOpen(false);
    this.controller.setPanelOpen(false);
    this.host.launcher.focus();
  }

  /** Focus where the visitor will act next: first form field, composer, or the main button. */
  private focusPrimary(): void {
    const phase = this.controller.model.phase;
    const target: HTMLElement | undefined =
      phase === 'offline'
        ? this.offlineFields[0]?.input
        : phase === 'offline-sent'
          ? this.thanks
          : phase === 'closed'
            ? this.newChatButton
            : this.prechat.isConnected
              ? (this.prechatFields[0]?.input ?? this.prechat.querySelector('button') ?? undefined)
              : !this.composer.hidden
                ? this.input
                : undefined;
    (target ?? this.el.querySelector<HTMLElement>('.icon-btn'))?.focus();
  }

  private askEnd(show: boolean, focus = true): void {
    this.confirm.hidden = !show;
    if (!focus) return;
    if (show) this.confirmCancel.focus();
    else if (this.isOpen) this.focusPrimary();
  }

  private endChat(): void {
    this.controller.endChat();
    this.askEnd(false);
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
  }

  private submitComposer(): void {
    const text = this.input.value;
    if (!text.trim()) return;
    this.controller.send(text);
    this.input.value = '';
    this.autosize();
    this.scrollToEnd();
  }

  /** A labelled input with its error line (aria-describedby, aria-invalid). */
  private field(prefix: string, def: FormField): Field {
    const id = prefix + def.key;
    const props = { id, name: def.key, 'aria-required': def.required ? 'true' : 'false', maxlength: def.max, 'data-testid': `${prefix.replace(/-$/, '')}-${def.key}` };
    const input =
      def.kind === 'textarea'
        ? h('textarea', { ...props, rows: 3 })
        : h('input', { ...props, type: def.kind === 'email' ? 'email' : 'text', autocomplete: def.kind === 'email' ? 'email' : def.key === 'name' ? 'name' : 'off' });
    const error = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
    input.addEventListener('input', () => {
      if (input.getAttribute('aria-invalid') === 'true') this.showFieldError({ def, input, error }, null);
    });
    h(
      'div',
      { class: 'field' },
      // The label holds only the field's name (exact for getByLabel); the required mark sits beside it.
      h(
        'div',
        { class: 'label-row' },
        h('label', { for: id, text: def.label }),
        def.required ? h('span', { class: 'req', 'aria-hidden': 'true', text: '*' }) : h('span', { class: 'opt', text: this.t('prechat.optional') }),
      ),
      input,
      error,
    );
    return { def, input, error };
  }

  private showFieldError(field: Field, error: FieldError | null): void {
    field.error.textContent = error ? this.t(error.key, error.values) : '';
    if (error) {
      field.input.setAttribute('aria-invalid', 'true');
      field.input.setAttribute('aria-describedby', field.error.id);
    } else {
      field.input.removeAttribute('aria-invalid');
      field.input.removeAttribute('aria-describedby');
    }
  }

  /** Validates a form's fields; shows errors and focuses the first bad one. Returns the values if valid. */
  private check(fields: Field[]): Record<string, string> | null {
    const values: Record<string, string> = {};
    for (const field of fields) values[field.def.key] = field.input.value;
    const errors = validateForm(
      fields.map((field) => field.def),
      values,
    );
    let first: Field | undefined;
    for (const field of fields) {
      const error = errors[field.def.key] ?? null;
      this.showFieldError(field, error);
      if (error && !first) first = field;
    }
    if (first) {
      first.input.focus();
      return null;
    }
    return values;
  }

  private departmentPicker(config: WidgetConfig, id: string): HTMLSelectElement | null {
    if (config.departments.length < 2) return null;
    return h(
      'select',
      { id, 'data-testid': id },
      h('option', { value: '', text: this.t('prechat.anyDepartment') }),
      ...config.departments.map((department) => h('option', { value: department.id, text: department.name })),
    );
  }

  private buildPrechat(config: WidgetConfig): void {
    const key = JSON.stringify([config.preChatFields, config.departments]);
    if (key === this.prechatKey) return;
    this.prechatKey = key;
    this.prechat.replaceChildren();
    this.prechatFields = preChatFormFields(config.preChatFields).map((def) => this.field('sb-pre-', def));
    this.departmentSelect = this.departmentPicker(config, 'sb-pre-department');
    append(this.prechat, [
      h('p', { class: 'muted', text: this.t('prechat.intro') }),
      ...this.prechatFields.map((field) => field.input.parentElement),
      this.departmentSelect && h('div', { class: 'field' }, h('div', { class: 'label-row' }, h('label', { for: 'sb-pre-department', text: this.t('prechat.department') })), this.departmentSelect),
      this.startError,
      h('button', { type: 'submit', class: 'btn primary block', 'data-testid': 'sb-prechat-submit', text: this.t('prechat.submit') }),
    ]);
    // The offline form gets the same department choice.
    this.offlineDepartment?.parentElement?.remove();
    this.offlineDepartment = this.departmentPicker(config, 'sb-off-department');
    if (this.offlineDepartment)
      this.offline.insertBefore(h('div', { class: 'field' }, h('div', { class: 'label-row' }, h('label', { for: 'sb-off-department', text: this.t('prechat.department') })), this.offlineDepartment), this.offlineError);
  }

  private submitPrechat(): void {
    const config = this.controller.model.config;
    if (!config) return;
    const values = this.check(this.prechatFields);
    if (!values) return;
    this.controller.startChat(startRequest(config.preChatFields, values, this.departmentSelect?.value || undefined));
    for (const field of this.prechatFields) field.input.value = '';
  }

  private submitOffline(): void {
    if (this.controller.offlineSending) return;
    const values = this.check(this.offlineFields);
    if (!values) return;
    const departmentId = this.offlineDepartment?.value;
    this.controller.sendOffline({
      name: (values.name ?? '').trim(),
      email: (values.email ?? '').trim(),
      message: (values.message ?? '').trim(),
      ...(departmentId ? { departmentId } : {}),
    });
  }

  private scrollToEnd(): void {
    this.body.scrollTop = this.body.scrollHeight;
  }

  render(): void {
    const { model } = this.controller;
    const { t } = this;
    const config = model.config;
    const phase = model.phase;
    this.el.dataset.phase = phase;
    // Whether focus is in the panel now: a step that is replaced below must hand it on, not drop it.
    const active = this.host.root.activeElement;
    const hadFocus = this.isOpen && active !== null && this.el.contains(active);

    this.loading.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), t(this.controller.failedAttempts >= 3 ? 'conn.unreachable' : 'conn.connecting'));
    if (!config) {
      this.title.textContent = t('dialog.fallbackTitle');
      this.avatar.replaceChildren(icon(ICON_CHAT));
    } else {
      const color = safeColor(config.color);
      this.el.style.setProperty('--sb-color', color);
      this.el.style.setProperty('--sb-on-color', contrastText(color));
      this.title.textContent = config.name;
      this.avatar.textContent = initial(config.name);
      const agent = model.chatOpen && model.chat?.status === 'assigned' ? model.chat.agentName : null;
      this.status.replaceChildren(
        h('span', { class: `dot ${config.online || agent ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
        agent
          ? t('chat.with', { name: agent })
          : `${t(config.online ? 'dialog.online' : 'dialog.offline')} · ${t(config.online ? 'dialog.onlineHint' : 'dialog.offlineHint')}`,
      );
      this.status.dataset.online = String(config.online);
      this.greeting.replaceChildren(h('span', { class: 'name', text: config.name }), h('div', { class: 'bubble', text: config.greeting }));
      this.greeting.hidden = !config.greeting.trim();
      this.buildPrechat(config);
    }
    this.endButton.hidden = !model.chatOpen;
    if (!model.chatOpen) this.confirm.hidden = true;

    const connection = this.controller.connection;
    const bannerKey =
      this.controller.error ??
      (connection === 'reconnecting' ? 'conn.reconnecting' : connection === 'failed' ? 'error.unavailable' : connection === 'connecting' && phase !== 'connecting' ? 'conn.connecting' : null);
    this.banner.textContent = bannerKey ? t(bannerKey) : '';
    this.banner.hidden = !bannerKey;
    this.banner.dataset.kind = this.controller.error || connection === 'failed' ? 'error' : 'info';

    const showLog = phase === 'intro' || phase === 'chat' || phase === 'closed';
    const showPrechat = phase === 'intro' && !!config?.preChatEnabled;
    // Only the current step is in the DOM, so labels stay unique (the pre-chat and offline forms both have "Email").
    const sections = ([
      phase === 'connecting' && this.loading,
      showLog && this.log,
      showPrechat && this.prechat,
      phase === 'offline' && this.offline,
      phase === 'offline-sent' && this.thanks,
    ] as (HTMLElement | false)[]).filter((section): section is HTMLElement => section !== false);
    if (sections.length !== this.body.children.length || sections.some((section, index) => this.body.children[index] !== section)) this.body.replaceChildren(...sections);
    this.startError.textContent = this.controller.startError ? t(this.controller.startError) : '';
    this.startError.hidden = !this.controller.startError;
    // aria-disabled, not disabled: a disabled button drops focus, and the visitor's place with it.
    this.offlineSubmit.setAttribute('aria-disabled', String(this.controller.offlineSending));
    this.offlineSubmit.textContent = t(this.controller.offlineSending ? 'form.sending' : 'offline.submit');
    this.offlineError.textContent = this.controller.offlineError ? t(this.controller.offlineError) : '';
    this.offlineError.hidden = !this.controller.offlineError;
    this.thanksText.textContent = t('offline.thanks', { email: model.offlineEmail });
    if (phase === 'offline-sent') {
      // Sent: a second message starts empty (name and email stay).
      const message = this.offlineFields.find((field) => field.def.key === 'message');
      if (message) message.input.value = '';
    }
    this.composer.hidden = !(phase === 'chat' || (phase === 'intro' && !showPrechat));
    this.closedBar.hidden = phase !== 'closed';

    const chat = model.chat;
    const queued = phase === 'chat' && (model.starting || chat?.status === 'queued');
    this.queue.hidden = !queued;
    if (queued) {
      const position = chat?.queuePosition;
      this.queue.replaceChildren(
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        h('span', null, h('strong', { text: position ? t('chat.queue', { n: position }) : t('chat.waiting') }), ' ', t('chat.queueHint')),
      );
      this.queue.dataset.position = position ? String(position) : '';
    }
    const typing = phase === 'chat' && model.agentTyping;
    this.typing.hidden = !typing;
    this.typing.replaceChildren(
      ...(typing ? [h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), t('chat.typing', { name: chat?.agentName || t('chat.agent') })] : []),
    );

    if (showLog) this.renderLog();

    if (phase !== this.lastPhase) {
      this.lastPhase = phase;
      if (hadFocus) requestAnimationFrame(() => this.focusPrimary());
    }
  }

  private renderLog(): void {
    const atEnd = this.body.scrollHeight - this.body.scrollTop - this.body.clientHeight < 60;
    const items = this.controller.model.timeline(this.t);
    const seen = new Set<string>();
    const nodes: Node[] = [this.greeting];
    let previous: (typeof items)[number] | undefined;
    let ownNew = false;
    for (const item of items) {
      const grouped = continues(previous, item);
      previous = item;
      const sig = `${item.status}|${grouped}|${item.name}|${item.text}`;
      let entry = this.items.get(item.key);
      if (!entry || entry.sig !== sig) {
        if (!entry && item.author === 'visitor') ownNew = true;
        entry = { li: renderItem(item, this.t, this.host.lang, grouped), sig };
        this.items.get(item.key)?.li.remove();
        this.items.set(item.key, entry);
      }
      seen.add(item.key);
      nodes.push(entry.li);
    }
    for (const [key, entry] of this.items) {
      if (!seen.has(key)) {
        entry.li.remove();
        this.items.delete(key);
      }
    }
    nodes.forEach((node, index) => {
      if (this.log.childNodes[index] !== node) this.log.insertBefore(node, this.log.childNodes[index] ?? null);
    });
    if (atEnd || ownNew) this.scrollToEnd();
  }
}
