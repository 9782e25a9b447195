import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from '../../hooks/useHashRoute.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useAsyncAction } from '../../hooks/useAsyncAction.js';
import { useChatActions } from '../../net/actions.js';
import { useAppState } from '../../state/StoreProvider.js';
import { Dialog } from '../common/Dialog.js';
import { FormError } from '../common/FormError.js';
import { GroupNameField } from './GroupNameField.js';
import { MemberPicker } from './MemberPicker.js';

/** "New group": a name and the people in it; opens the new group when created. */
export function NewGroupDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const actions = useChatActions();
  const navigate = useNavigate();
  const users = useAppState((state) => state.users);
  const meId = useAppState((state) => state.me?.id);
  const [title, setTitle] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const { busy, error, setError, run } = useAsyncAction();
  const titleRef = useRef<HTMLInputElement>(null);
  const formId = 'new-group-form';

  const candidates = useMemo(() => [...users.values()].filter((user) => user.id !== meId && !user.disabled), [users, meId]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    if (title.trim() === '') {
      setError(t('group.new.nameRequired'));
      titleRef.current?.focus();
      return;
    }
    await run(
      () => actions.createGroup(title.trim(), [...selected]),
      (id) => {
        onClose();
        navigate(id);
      },
    );
  };

  return (
    <Dialog
      title={t('group.new.title')}
      onClose={onClose}
      initialFocus={titleRef}
      testId="new-group-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="submit" form={formId} className="button button-primary" disabled={busy}>
            {busy ? t('group.new.creating') : t('group.new.create')}
          </button>
        </>
      }
    >
      <form id={formId} className="stack" onSubmit={(event) => void submit(event)} noValidate>
        <GroupNameField label={t('group.new.name')} inputRef={titleRef} value={title} placeholder={t('group.new.namePlaceholder')} onChange={setTitle} />
        <MemberPicker candidates={candidates} selected={selected} onChange={setSelected} label={t('group.new.members')} />
        <FormError message={error} />
      </form>
    </Dialog>
  );
}
