/* Users: list, search and filter; create, edit, reset password, disable / enable. */
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { Role, type User } from '@switchboard/protocol';
import { api } from '../../api';
import { useMe } from '../../auth';
import { Avatar } from '../../components/Avatar';
import { SelectField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { LoadErrorCard, LoadingCard, PageHeader, RefreshButton } from '../../components/Page';
import { SearchBox } from '../../components/SearchBox';
import { DataTable } from '../../components/DataTable';
import { useToast } from '../../components/Toast';
import { TitledCard } from '../../components/TitledCard';
import { describeError } from '../../errors';
import { useI18n } from '../../i18n';
import type { SectionProps } from '../types';
import { ResetPasswordDialog, ToggleDisabledDialog } from './AccountDialogs';
import { ROLE_LABEL, RoleChips } from './RoleCheckboxes';
import { CreateUserDialog, EditUserDialog } from './UserFormDialog';

type Load = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; users: User[] };

type OpenDialog =
  | { kind: 'create' }
  | { kind: 'edit'; user: User }
  | { kind: 'password'; user: User }
  | { kind: 'toggle'; user: User }
  | null;

type StatusFilter = 'all' | 'active' | 'disabled';
type RoleFilter = 'all' | Role;

interface RowActionProps {
  icon: Parameters<typeof Icon>[0]['name'];
  label: string;
  describedBy: string;
  testId: string;
  onClick: () => void;
  danger?: boolean;
  disabled?: boolean;
  title?: string | undefined;
}

/** One of a user row's action buttons, described by the row's name. */
function RowAction({ icon, label, describedBy, testId, onClick, danger = false, disabled, title }: RowActionProps) {
  return (
    <button type="button" className={`btn btn-ghost btn-small ${danger ? 'btn-ghost-danger' : ''}`} onClick={onClick} disabled={disabled} title={title} aria-describedby={describedBy} data-testid={testId}>
      <Icon name={icon} size={15} />
      {label}
    </button>
  );
}

function byUsername(a: User, b: User): number {
  return a.username.localeCompare(b.username);
}

export default function UsersPage(_props: SectionProps) {
  const { t, tp } = useI18n();
  const { notify } = useToast();
  const me = useMe();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [refreshing, setRefreshing] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const [query, setQuery] = useState('');
  const [roleFilter, setRoleFilter] = useState<RoleFilter>('all');
  const [statusFilter, setStatusFilter] = useState<StatusFilter>('all');
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const deferredQuery = useDeferredValue(query);
  // Read at answer time, so that a language switch does not refetch the list.
  const latest = useRef({ t, notify });
  latest.current = { t, notify };

  useEffect(() => {
    const controller = new AbortController();
    setRefreshing(true);
    api
      .listUsers()
      .then((users) => {
        if (!controller.signal.aborted) setLoad({ status: 'ready', users: [...users].sort(byUsername) });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        // Keep showing a list we already have; say that the refresh failed.
        setLoad((current) => {
          if (current.status === 'ready') {
            latest.current.notify(describeError(latest.current.t, error), 'error');
            return current;
          }
          return { status: 'error', error };
        });
      })
      .finally(() => {
        if (!controller.signal.aborted) setRefreshing(false);
      });
    return () => controller.abort();
  }, [reloadKey]);

  useEffect(() => {
    if (!flash) return;
    const timer = window.setTimeout(() => setFlash(null), 2500);
    return () => window.clearTimeout(timer);
  }, [flash]);

  const upsert = useCallback((user: User) => {
    setLoad((current) => {
      if (current.status !== 'ready') return { status: 'ready', users: [user] };
      const others = current.users.filter((existing) => existing.id !== user.id);
      return { status: 'ready', users: [...others, user].sort(byUsername) };
    });
    setFlash(user.id);
  }, []);

  const users = load.status === 'ready' ? load.users : [];
  const filtered = useMemo(() => {
    const needle = deferredQuery.trim().toLocaleLowerCase();
    return users.filter(
      (user) =>
        (needle === '' ||
          user.username.toLocaleLowerCase().includes(needle) ||
          user.displayName.toLocaleLowerCase().includes(needle)) &&
        (roleFilter === 'all' || user.roles.includes(roleFilter)) &&
        (statusFilter === 'all' || (statusFilter === 'disabled') === user.disabled),
    );
  }, [users, deferredQuery, roleFilter, statusFilter]);
  const filtering = query.trim() !== '' || roleFilter !== 'all' || statusFilter !== 'all';
  const clearFilters = () => {
    setQuery('');
    setRoleFilter('all');
    setStatusFilter('all');
  };

  const close = () => setDialog(null);

  return (
    <div className="page" data-testid="users-page">
      <PageHeader
        title={t('users.title')}
        subtitle={t('users.subtitle')}
        actions={
          <>
            <RefreshButton refreshing={refreshing} spinning={refreshing && load.status === 'ready'} onClick={() => setReloadKey((n) => n + 1)} />
            <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'create' })} data-testid="open-create-user">
              <Icon name="plus" size={16} />
              {t('users.create.open')}
            </button>
          </>
        }
      />

      <div className="toolbar" role="search">
        <SearchBox
          id="users-search"
          label={t('users.search.label')}
          placeholder={t('users.search.placeholder')}
          value={query}
          onChange={setQuery}
          clearOnEscape
          testId="users-search"
        />
        <SelectField
          label={t('users.filter.role')}
          value={roleFilter}
          onChange={(value) => setRoleFilter(value as RoleFilter)}
          options={[{ value: 'all', label: t('users.filter.allRoles') }, ...Role.options.map((role) => ({ value: role, label: t(ROLE_LABEL[role]) }))]}
          testId="users-filter-role"
        />
        <SelectField
          label={t('users.filter.status')}
          value={statusFilter}
          onChange={(value) => setStatusFilter(value as StatusFilter)}
          options={[
            { value: 'all', label: t('users.filter.allStatuses') },
            { value: 'active', label: t('users.status.active') },
            { value: 'disabled', label: t('users.status.disabled') },
          ]}
          testId="users-filter-status"
        />
      </div>

      {load.status === 'loading' && <LoadingCard testId="users-loading" />}

      {load.status === 'error' && (
        <LoadErrorCard title={t('users.loadFailed')} error={load.error} onRetry={() => setReloadKey((n) => n + 1)} busy={refreshing} testId="users-error" />
      )}

      {load.status === 'ready' && (
        <TitledCard
          titleId="users-table-caption"
          title={filtering ? t('users.count.filtered', { shown: filtered.length, total: tp('users.count', users.length) }) : tp('users.count', users.length)}
          live
          aside={
            filtering && (
              <button type="button" className="link-button" onClick={clearFilters}>
                {t('users.filter.clear')}
              </button>
            )
          }
        >
          {filtered.length === 0 ? (
            <div className="empty-state empty-state-inline" data-testid="users-empty">
              <Icon name="search" size={24} />
              <p>{query.trim() ? t('users.empty.query', { query: query.trim() }) : t('users.empty.filters')}</p>
            </div>
          ) : (
            <DataTable
              className="users-table"
              testId="users-table"
              columns={[
                { key: 'username', label: t('users.column.username') },
                { key: 'displayName', label: t('users.column.displayName') },
                { key: 'roles', label: t('users.column.roles') },
                { key: 'status', label: t('users.column.status') },
              ]}
              actionsLabel={t('users.column.actions')}
            >
              {filtered.map((user) => {
                const isSelf = user.id === me.user.id;
                const nameId = `user-${user.id}-name`;
                return (
                  <tr
                    key={user.id}
                    className={`${user.disabled ? 'row-disabled' : ''}${flash === user.id ? ' row-flash' : ''}`}
                    data-testid={`user-row-${user.username}`}
                    data-user-id={user.id}
                  >
                    <td data-label={t('users.column.username')}>
                      <div className="user-cell">
                        <Avatar name={user.displayName} seed={user.username} size={32} />
                        <span id={nameId} className="username">
                          {user.username}
                        </span>
                        {isSelf && <span className="badge badge-you">{t('users.you')}</span>}
                      </div>
                    </td>
                    <td data-label={t('users.column.displayName')} className="display-name-cell">
                      {user.displayName}
                    </td>
                    <td data-label={t('users.column.roles')}>
                      <RoleChips roles={user.roles} />
                    </td>
                    <td data-label={t('users.column.status')}>
                      <span className={`status status-${user.disabled ? 'disabled' : 'active'}`} data-testid="user-status">
                        <span className="status-dot" aria-hidden="true" />
                        {user.disabled ? t('users.status.disabled') : t('users.status.active')}
                      </span>
                    </td>
                    <td className="actions-cell">
                      <div className="row-actions">
                        <RowAction icon="edit" label={t('users.action.edit')} describedBy={nameId} testId="edit-user" onClick={() => setDialog({ kind: 'edit', user })} />
                        <RowAction icon="key" label={t('users.action.resetPassword')} describedBy={nameId} testId="reset-password" onClick={() => setDialog({ kind: 'password', user })} />
                        <RowAction
                          icon={user.disabled ? 'check' : 'ban'}
                          label={user.disabled ? t('users.action.enable') : t('users.action.disable')}
                          danger={!user.disabled}
                          disabled={isSelf && !user.disabled}
                          title={isSelf && !user.disabled ? t('users.hint.cannotDisableSelf') : undefined}
                          describedBy={nameId}
                          testId="toggle-disabled"
                          onClick={() => setDialog({ kind: 'toggle', user })}
                        />
                      </div>
                    </td>
                  </tr>
                );
              })}
            </DataTable>
          )}
        </TitledCard>
      )}

      {dialog?.kind === 'create' && (
        <CreateUserDialog
          onClose={close}
          onCreated={(user) => {
            close();
            upsert(user);
            notify(t('users.toast.created', { username: user.username }));
          }}
        />
      )}
      {dialog?.kind === 'edit' && (
        <EditUserDialog
          user={dialog.user}
          onClose={close}
          onSaved={(user) => {
            close();
            upsert(user);
            notify(t('users.toast.saved', { username: user.username }));
          }}
        />
      )}
      {dialog?.kind === 'password' && (
        <ResetPasswordDialog
          user={dialog.user}
          onClose={close}
          onDone={(user) => {
            close();
            upsert(user);
            notify(t('users.toast.passwordReset', { username: user.username }));
          }}
        />
      )}
      {dialog?.kind === 'toggle' && (
        <ToggleDisabledDialog
          user={dialog.user}
          onClose={close}
          onDone={(user) => {
            close();
            upsert(user);
            notify(user.disabled ? t('users.toast.disabled', { username: user.username }) : t('users.toast.enabled', { username: user.username }));
          }}
        />
      )}
    </div>
  );
}
