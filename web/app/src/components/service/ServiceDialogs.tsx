import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Department, ServiceAgent } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import type { Translate } from '../../i18n/translate.js';
import { describeFailure } from '../../lib/errors.js';
import { useAsyncAction } from '../../hooks/useAsyncAction.js';
import { useServiceActions, type TransferTarget } from '../../net/agentDesk.js';
import { useAppState } from '../../state/StoreProvider.js';
import { useWatchPresence } from '../../hooks/useWatchPresence.js';
import { Avatar } from '../common/Avatar.js';
import { Dialog } from '../common/Dialog.js';
import { FormError } from '../common/FormError.js';

interface Choice {
  value: string;
  label: string;
  detail?: string;
  disabled?: boolean;
  avatar?: ReactNode;
}

/** A labelled list of radio buttons (arrow keys move between them, as native radios do). */
function RadioList({ name, legend, choices, value, onChange, empty }: { name: string; legend: string; choices: Choice[]; value: string; onChange: (value: string) => void; empty: string }) {
  return (
    <fieldset className="radio-list">
      <legend className="dialog-subheading">{legend}</legend>
      {choices.length === 0 ? <p className="muted">{empty}</p> : null}
      {choices.map((choice) => (
        <label key={choice.value} className={`radio-row${choice.disabled ? ' is-disabled' : ''}${value === choice.value ? ' is-checked' : ''}`}>
          <input type="radio" name={name} value={choice.value} checked={value === choice.value} disabled={choice.disabled} onChange={() => onChange(choice.value)} />
          {choice.avatar}
          <span className="radio-text">
            <span className="radio-label">{choice.label}</span>
            {choice.detail ? <span className="radio-detail">{choice.detail}</span> : null}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

type Loaded<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; value: T };

function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const { t } = useI18n();
  const loadRef = useRef(load);
  useEffect(() => {
    let cancelled = false;
    loadRef.current().then(
      (value) => !cancelled && setState({ status: 'ready', value }),
      (error: unknown) => !cancelled && setState({ status: 'error', message: describeFailure(t, error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [t]);
  return state;
}

/** "Loading…" until the lists are in, or why they could not be loaded. */
function LoadNotes({ loaded }: { loaded: Loaded<unknown> }) {
  const { t } = useI18n();
  if (loaded.status === 'loading') return <p className="muted">{t('app.loading')}</p>;
  return loaded.status === 'error' ? <FormError message={loaded.message} /> : null;
}

/** "Available · 1 of 5 chats" */
function agentDetail(agent: ServiceAgent, t: Translate): string {
  const duty = agent.dutyStatus === 'available' ? t('duty.available') : agent.dutyStatus === 'away' ? t('duty.away') : t('duty.off');
  return t('transfer.agentDetail', { duty, active: agent.activeChats, max: agent.maxChats });
}

interface ActionDialogProps {
  title: string;
  testId: string;
  submitLabel: string;
  canSubmit: boolean;
  onSubmit: () => Promise<void>;
  onClose: () => void;
  children: ReactNode;
}

/** A dialog whose main button runs an action, showing its error in place when it fails. */
function ActionDialog({ title, testId, submitLabel, canSubmit, onSubmit, onClose, children }: ActionDialogProps) {
  const { t } = useI18n();
  const { busy, error, run } = useAsyncAction();
  const formId = useId();
  const submit = async (): Promise<void> => {
    if (!canSubmit || busy) return;
    await run(onSubmit, onClose);
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      testId={testId}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="submit" form={formId} className="button button-primary" disabled={!canSubmit || busy} aria-busy={busy || undefined}>
            {submitLabel}
          </button>
        </>
      }
    >
      <form
        id={formId}
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {children}
        <FormError message={error} />
      </form>
    </Dialog>
  );
}

/** Hand the chat to a colleague on duty, or back to routing within a department. */
export function TransferDialog({ chatId, onClose, onDone }: { chatId: string; onClose: () => void; onDone: (name: string) => void }) {
  const { t } = useI18n();
  const desk = useServiceActions();
  const meId = useAppState((state) => state.me?.id);
  const loaded = useLoad(() => Promise.all([desk.api.agents(), desk.api.departments()]));
  const [choice, setChoice] = useState('');

  const [agents, departments]: [ServiceAgent[], Department[]] = loaded.status === 'ready' ? loaded.value : [[], []];
  const agentChoices: Choice[] = agents
    .filter((agent) => agent.userId !== meId)
    .sort((a, b) => Number(b.dutyStatus === 'available') - Number(a.dutyStatus === 'available') || a.displayName.localeCompare(b.displayName))
    .map((agent) => ({
      value: `agent:${agent.userId}`,
      label: agent.displayName,
      detail: agentDetail(agent, t),
      disabled: agent.dutyStatus !== 'available' || agent.activeChats >= agent.maxChats,
      avatar: <Avatar id={agent.userId} name={agent.displayName} size="sm" />,
    }));
  const target = (): { to: TransferTarget; name: string } | null => {
    const [kind, id = ''] = choice.split(':');
    if (kind === 'agent') return { to: { kind: 'agent', agentId: id }, name: agents.find((agent) => agent.userId === id)?.displayName ?? '' };
    if (kind === 'department') return { to: { kind: 'department', departmentId: id }, name: departments.find((department) => department.id === id)?.name ?? '' };
    return null;
  };

  return (
    <ActionDialog
      title={t('transfer.title')}
      testId="transfer-dialog"
      submitLabel={t('transfer.submit')}
      canSubmit={choice !== ''}
      onClose={onClose}
      onSubmit={async () => {
        const picked = target();
        if (!picked) return;
        await desk.transfer(chatId, picked.to);
        onDone(picked.name);
      }}
    >
      <p className="muted">{t('transfer.intro')}</p>
      <LoadNotes loaded={loaded} />
      {loaded.status === 'ready' ? (
        <>
          <RadioList name="transfer-target" legend={t('transfer.toAgent')} choices={agentChoices} value={choice} onChange={setChoice} empty={t('transfer.noAgents')} />
          <RadioList
            name="transfer-target"
            legend={t('transfer.toDepartment')}
            choices={departments.map((department) => ({ value: `department:${department.id}`, label: department.name }))}
            value={choice}
            onChange={setChoice}
            empty={t('transfer.noDepartments')}
          />
        </>
      ) : null}
    </ActionDialog>
  );
}

/** Bring a colleague on duty into the chat beside the assignee. */
export function InviteDialog({ chatId, agentIds, onClose, onDone }: { chatId: string; agentIds: readonly string[]; onClose: () => void; onDone: (name: string) => void }) {
  const { t } = useI18n();
  const desk = useServiceActions();
  const meId = useAppState((state) => state.me?.id);
  const loaded = useLoad(() => desk.api.agents());
  const [choice, setChoice] = useState('');
  const agents = loaded.status === 'ready' ? loaded.value : [];
  const choices: Choice[] = agents
    .filter((agent) => agent.userId !== meId && !agentIds.includes(agent.userId))
    .sort((a, b) => Number(a.dutyStatus === 'off') - Number(b.dutyStatus === 'off') || a.displayName.localeCompare(b.displayName))
    .map((agent) => ({
      value: agent.userId,
      label: agent.displayName,
      detail: agent.dutyStatus === 'off' ? t('duty.off') : agent.dutyStatus === 'away' ? t('duty.away') : t('duty.available'),
      disabled: agent.dutyStatus === 'off',
      avatar: <Avatar id={agent.userId} name={agent.displayName} size="sm" />,
    }));
  return (
    <ActionDialog
      title={t('invite.title')}
      testId="invite-dialog"
      submitLabel={t('invite.submit')}
      canSubmit={choice !== ''}
      onClose={onClose}
      onSubmit={async () => {
        await desk.invite(chatId, choice);
        onDone(agents.find((agent) => agent.userId === choice)?.displayName ?? '');
      }}
    >
      <p className="muted">{t('invite.intro')}</p>
      <LoadNotes loaded={loaded} />
      {loaded.status === 'ready' ? <RadioList name="invite-agent" legend={t('invite.colleagues')} choices={choices} value={choice} onChange={setChoice} empty={t('invite.none')} /> : null}
    </ActionDialog>
  );
}

/**
 * Ask any colleague (not only agents) over IM: the CS server posts a help request with a link to the
 * chat and what it is about in the direct chat with them; the agent is taken there.
 */
export function AskDialog({ chatId, onClose, onDone }: { chatId: string; onClose: () => void; onDone: (conversationId: string) => void }) {
  const { t, locale } = useI18n();
  const desk = useServiceActions();
  const users = useAppState((state) => state.users);
  const presence = useAppState((state) => state.presence);
  const meId = useAppState((state) => state.me?.id);
  const [filter, setFilter] = useState('');
  const [choice, setChoice] = useState('');
  const [note, setNote] = useState('');
  const noteId = useId();
  const filterId = useId();
  // Colleagues in directory order: the ranking by presence below must not change what is watched.
  useWatchPresence(useMemo(() => [...users.keys()].filter((id) => id !== meId), [users, meId]));
  const choices = useMemo(() => {
    const needle = filter.trim().toLocaleLowerCase();
    const collator = new Intl.Collator(locale);
    const rank = { online: 0, away: 1, offline: 2 } as const;
    return [...users.values()]
      .filter((user) => user.id !== meId && !user.disabled)
      .filter((user) => !needle || user.displayName.toLocaleLowerCase().includes(needle) || user.username.includes(needle))
      .sort((a, b) => rank[presence.get(a.id) ?? 'offline'] - rank[presence.get(b.id) ?? 'offline'] || collator.compare(a.displayName, b.displayName))
      .map<Choice>((user) => ({
        value: user.id,
        label: user.displayName,
        detail: t(`presence.${presence.get(user.id) ?? 'offline'}`),
        avatar: <Avatar id={user.id} name={user.displayName} size="sm" presence={presence.get(user.id) ?? 'offline'} />,
      }));
  }, [users, presence, meId, filter, locale, t]);

  return (
    <ActionDialog
      title={t('ask.title')}
      testId="ask-dialog"
      submitLabel={t('ask.submit')}
      canSubmit={choice !== ''}
      onClose={onClose}
      onSubmit={async () => {
        const conversationId = await desk.ask(chatId, choice, note);
        onDone(conversationId);
      }}
    >
      <p className="muted">{t('ask.intro')}</p>
      <div className="field">
        <label className="field-label" htmlFor={filterId}>
          {t('ask.filter')}
        </label>
        <input id={filterId} type="search" className="input" value={filter} onChange={(event) => setFilter(event.target.value)} />
      </div>
      <div className="radio-scroll">
        <RadioList name="ask-colleague" legend={t('ask.colleagues')} choices={choices} value={choice} onChange={setChoice} empty={t('ask.none')} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={noteId}>
          {t('ask.note')}
        </label>
        <textarea id={noteId} className="input ask-note" rows={3} maxLength={1000} placeholder={t('ask.notePlaceholder')} value={note} onChange={(event) => setNote(event.target.value)} />
      </div>
    </ActionDialog>
  );
}
