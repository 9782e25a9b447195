import { useMemo, useRef, useState, type FormEvent } from 'react';
import type { Conversation } from '@switchboard/protocol';
import { useNavigate } from '../../hooks/useHashRoute.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { describeFailure } from '../../lib/errors.js';
import { showToast } from '../../lib/toasts.js';
import { useChatActions } from '../../net/actions.js';
import { useAppState } from '../../state/StoreProvider.js';
import { Avatar } from '../common/Avatar.js';
import { ConfirmDialog } from '../common/ConfirmDialog.js';
import { Dialog } from '../common/Dialog.js';
import { Icon } from '../common/Icon.js';
import { GroupNameField } from './GroupNameField.js';
import { MemberPicker } from './MemberPicker.js';

/**
 * Group settings: rename, members (the owner may remove people), add members, leave.
 * Mirrors the server's rules: any member renames and adds; only the owner removes others.
 */
export function GroupSettingsDialog({ conversation, onClose }: { conversation: Conversation; onClose: () => void }) {
  const { t, locale } = useI18n();
  const actions = useChatActions();
  const navigate = useNavigate();
  const users = useAppState((state) => state.users);
  const presence = useAppState((state) => state.presence);
  const meId = useAppState((state) => state.me?.id);
  const [title, setTitle] = useState(conversation.title ?? '');
  const [renaming, setRenaming] = useState(false);
  const [renameNote, setRenameNote] = useState<{ text: string; error: boolean } | null>(null);
  const [toAdd, setToAdd] = useState<ReadonlySet<string>>(new Set());
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);

  const isOwner = conversation.members.some((member) => member.userId === meId && member.role === 'owner');
  const memberIds = useMemo(() => new Set(conversation.members.map((member) => member.userId)), [conversation.members]);
  const members = useMemo(() => {
    const collator = new Intl.Collator(locale);
    const nameOf = (userId: string): string => users.get(userId)?.displayName ?? t('conversation.unknownUser');
    return conversation.members
      .slice()
      .sort((a, b) => (a.role === b.role ? collator.compare(nameOf(a.userId), nameOf(b.userId)) : a.role === 'owner' ? -1 : 1))
      .map((member) => ({ member, name: nameOf(member.userId), user: users.get(member.userId) }));
  }, [conversation.members, users, locale, t]);
  const candidates = useMemo(() => [...users.values()].filter((user) => !memberIds.has(user.id) && !user.disabled), [users, memberIds]);

  const rename = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const next = title.trim();
    if (next === '') {
      setRenameNote({ text: t('group.new.nameRequired'), error: true });
      return;
    }
    setRenaming(true);
    try {
      await actions.rename(conversation.id, next);
      setRenameNote({ text: t('group.settings.renamed'), error: false });
    } catch (failure) {
      setRenameNote({ text: describeFailure(t, failure), error: true });
    } finally {
      setRenaming(false);
    }
  };

  const add = async (): Promise<void> => {
    setAdding(true);
    try {
      await actions.addMembers(conversation.id, [...toAdd]);
      setToAdd(new Set());
    } catch (failure) {
      showToast(describeFailure(t, failure));
    } finally {
      setAdding(false);
    }
  };

  const remove = async (userId: string): Promise<void> => {
    setRemoving(userId);
    try {
      await actions.removeMember(conversation.id, userId);
    } catch (failure) {
      showToast(describeFailure(t, failure));
    } finally {
      setRemoving(null);
    }
  };

  return (
    <>
      <Dialog title={t('group.settings.title')} onClose={onClose} initialFocus={titleRef} testId="group-settings-dialog">
        <div className="stack-lg">
          <form className="inline-form" onSubmit={(event) => void rename(event)} noValidate>
            <GroupNameField
              label={t('group.settings.name')}
              inputRef={titleRef}
              value={title}
              onChange={(value) => {
                setTitle(value);
                setRenameNote(null);
              }}
              grow
            />
            <button type="submit" className="button" disabled={renaming || title.trim() === (conversation.title ?? '')}>
              {t('group.settings.rename')}
            </button>
          </form>
          {renameNote ? (
            <p className={renameNote.error ? 'form-error' : 'form-note'} role={renameNote.error ? 'alert' : 'status'}>
              {renameNote.text}
            </p>
          ) : null}

          <section aria-labelledby="group-members-heading">
            <h3 id="group-members-heading" className="dialog-subheading">
              {t('group.settings.members', { count: conversation.members.length })}
            </h3>
            <ul className="member-list">
              {members.map(({ member, name, user }) => (
                <li key={member.userId} className="member-row" data-testid={`member-${user?.username ?? member.userId}`}>
                  <Avatar id={member.userId} name={name} size="sm" presence={presence.get(member.userId) ?? 'offline'} />
                  <span className="member-name">
                    {name}
                    {member.userId === meId ? <span className="muted"> {t('sidebar.you')}</span> : null}
                  </span>
                  {member.role === 'owner' ? <span className="tag">{t('group.settings.owner')}</span> : null}
                  {isOwner && member.userId !== meId ? (
                    <button
                      type="button"
                      className="button button-small"
                      disabled={removing === member.userId}
                      aria-label={t('group.settings.removeMember', { name })}
                      onClick={() => void remove(member.userId)}
                    >
                      {t('group.settings.remove')}
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>

          <section className="stack">
            {candidates.length > 0 ? (
              <>
                <MemberPicker candidates={candidates} selected={toAdd} onChange={setToAdd} label={t('group.settings.addMembers')} />
                <div className="row-end">
                  <button type="button" className="button button-primary" disabled={adding || toAdd.size === 0} onClick={() => void add()}>
                    {toAdd.size > 0 ? t('group.settings.addSelected', { count: toAdd.size }) : t('group.settings.add')}
                  </button>
                </div>
              </>
            ) : (
              <p className="muted">{t('group.settings.noneToAdd')}</p>
            )}
          </section>

          <div className="danger-zone">
            <button type="button" className="button button-danger-outline" onClick={() => setConfirmLeave(true)}>
              <Icon name="leave" size={16} />
              {t('group.settings.leave')}
            </button>
          </div>
        </div>
      </Dialog>
      {confirmLeave ? (
        <ConfirmDialog
          title={t('group.settings.leaveConfirmTitle')}
          body={t('group.settings.leaveConfirmBody')}
          confirmLabel={t('group.settings.leave')}
          danger
          onClose={() => setConfirmLeave(false)}
          onConfirm={async () => {
            await actions.leave(conversation.id);
            onClose();
            navigate(null, { replace: true });
          }}
        />
      ) : null}
    </>
  );
}
