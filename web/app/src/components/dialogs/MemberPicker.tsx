import { useId, useMemo, useState } from 'react';
import type { User } from '@switchboard/protocol';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useAppState } from '../../state/StoreProvider.js';
import { Avatar } from '../common/Avatar.js';
import { useWatchPresence } from '../../hooks/useWatchPresence.js';

interface MemberPickerProps {
  /** People who may be picked. */
  candidates: readonly User[];
  selected: ReadonlySet<string>;
  onChange: (selected: ReadonlySet<string>) => void;
  label: string;
}

/** A filterable checklist of people. */
export function MemberPicker({ candidates, selected, onChange, label }: MemberPickerProps) {
  const { t, locale } = useI18n();
  const presence = useAppState((state) => state.presence);
  const [filter, setFilter] = useState('');
  const labelId = useId();

  const visible = useMemo(() => {
    const needle = filter.trim().toLocaleLowerCase();
    const collator = new Intl.Collator(locale);
    return candidates
      .filter((user) => needle === '' || user.displayName.toLocaleLowerCase().includes(needle) || user.username.includes(needle))
      .sort((a, b) => collator.compare(a.displayName, b.displayName));
  }, [candidates, filter, locale]);

  useWatchPresence(useMemo(() => visible.map((user) => user.id), [visible]));

  const toggle = (userId: string, on: boolean): void => {
    const next = new Set(selected);
    if (on) next.add(userId);
    else next.delete(userId);
    onChange(next);
  };

  return (
    <fieldset className="member-picker" aria-labelledby={labelId}>
      <div className="member-picker-header">
        <legend id={labelId}>{label}</legend>
        <span className="muted">{t('group.new.selected', { count: selected.size })}</span>
      </div>
      <input
        type="search"
        className="input"
        aria-label={t('group.new.filter')}
        placeholder={t('group.new.filter')}
        value={filter}
        onChange={(event) => setFilter(event.target.value)}
        onKeyDown={(event) => {
          // Escape clears the filter first; a second Escape closes the dialog.
          if (event.key === 'Escape' && filter !== '') {
            event.preventDefault();
            setFilter('');
          }
        }}
      />
      <ul className="member-picker-list">
        {visible.map((user) => (
          <li key={user.id}>
            <label className="member-option" data-testid={`pick-${user.username}`}>
              <input type="checkbox" checked={selected.has(user.id)} onChange={(event) => toggle(user.id, event.target.checked)} />
              <Avatar id={user.id} name={user.displayName} size="sm" presence={presence.get(user.id) ?? 'offline'} />
              <span className="member-name">{user.displayName}</span>
              <span className="muted">@{user.username}</span>
            </label>
          </li>
        ))}
        {visible.length === 0 ? <li className="muted member-picker-empty">{t('sidebar.noMatches', { query: filter.trim() })}</li> : null}
      </ul>
    </fieldset>
  );
}
