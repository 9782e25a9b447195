/* Departments: the teams a visitor may pick in the widget; agents belong to any number of them. */
import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { DepartmentRequest, type Department, type ServiceAgent } from '@switchboard/protocol';
import { Avatar } from '../../components/Avatar';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import { EmptyState, LoadErrorCard, LoadingCard, PageHeader, RefreshButton } from '../../components/Page';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toast';
import { describeError, formErrorsFromApi, zodFieldErrors, type FieldErrors } from '../../errors';
import { useI18n } from '../../i18n';
import { hrefFor } from '../../router';
import { serviceApi } from '../../serviceApi';
import { useResource } from '../../useResource';
import type { SectionProps } from '../types';
import { FieldError } from '../../components/Field';

const FIELDS = ['name'] as const;
type Errors = FieldErrors<'name'>;

function byName(a: Department, b: Department): number {
  return a.name.localeCompare(b.name);
}

export default function DepartmentsPage(_props: SectionProps) {
  const { t, tp } = useI18n();
  const { notify } = useToast();
  const resource = useResource(
    async () => {
      const [departments, agents] = await Promise.all([serviceApi.departments(), serviceApi.agents()]);
      return { departments: [...departments].sort(byName), agents };
    },
    [],
    (error) => notify(describeError(t, error), 'error'),
  );
  const [name, setName] = useState('');
  const [createErrors, setCreateErrors] = useState<Errors>({});
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<{ id: string; name: string; errors: Errors; busy: boolean } | null>(null);
  const [deleting, setDeleting] = useState<Department | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const newNameRef = useRef<HTMLInputElement>(null);

  const agents = resource.data?.agents ?? [];
  const membersOf = (department: Department): ServiceAgent[] => agents.filter((agent) => agent.departmentIds.includes(department.id));

  const highlight = (id: string) => {
    setFlash(id);
    window.setTimeout(() => setFlash((current) => (current === id ? null : current)), 2500);
  };

  const upsert = (department: Department) =>
    resource.setData((current) => ({
      ...current,
      departments: [...current.departments.filter((existing) => existing.id !== department.id), department].sort(byName),
    }));

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (creating) return;
    const parsed = DepartmentRequest.safeParse({ name });
    if (!parsed.success) {
      setCreateErrors(zodFieldErrors(t, parsed.error, FIELDS));
      newNameRef.current?.focus();
      return;
    }
    setCreating(true);
    try {
      const department = await serviceApi.createDepartment(parsed.data.name);
      upsert(department);
      highlight(department.id);
      setName('');
      setCreateErrors({});
      notify(t('departments.toast.created', { name: department.name }));
    } catch (error) {
      setCreateErrors(formErrorsFromApi(t, error, FIELDS, { conflictField: 'name', conflictMessage: t('departments.error.taken', { name: parsed.data.name }) }));
      newNameRef.current?.focus();
    } finally {
      setCreating(false);
    }
  };

  const rename = async () => {
    if (!renaming || renaming.busy) return;
    const current = resource.data?.departments.find((department) => department.id === renaming.id);
    const parsed = DepartmentRequest.safeParse({ name: renaming.name });
    if (!parsed.success) {
      setRenaming({ ...renaming, errors: zodFieldErrors(t, parsed.error, FIELDS) });
      return;
    }
    if (current && parsed.data.name === current.name) {
      setRenaming(null);
      return;
    }
    setRenaming({ ...renaming, busy: true, errors: {} });
    try {
      const department = await serviceApi.renameDepartment(renaming.id, parsed.data.name);
      upsert(department);
      highlight(department.id);
      setRenaming(null);
      notify(t('departments.toast.renamed', { name: department.name }));
    } catch (error) {
      setRenaming((state) =>
        state && { ...state, busy: false, errors: formErrorsFromApi(t, error, FIELDS, { conflictField: 'name', conflictMessage: t('departments.error.taken', { name: parsed.data.name }) }) },
      );
    }
  };

  const onRenameKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void rename();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setRenaming(null);
    }
  };

  const departments = resource.data?.departments ?? [];

  return (
    <div className="page page-narrow" data-testid="departments-page">
      <PageHeader title={t('departments.title')} subtitle={t('departments.subtitle')} inlineActions actions={<RefreshButton refreshing={resource.refreshing} onClick={resource.reload} />} />

      {resource.state.status === 'loading' && <LoadingCard testId="departments-loading" />}
      {resource.state.status === 'error' && (
        <LoadErrorCard title={t('departments.loadFailed')} error={resource.state.error} onRetry={resource.reload} busy={resource.refreshing} testId="departments-error" />
      )}
      {resource.state.status === 'ready' && (
        <section className="card" aria-labelledby="departments-caption">
          <form className="inline-create" onSubmit={create} noValidate data-testid="create-department-form">
            <div className={`field inline-create-field${createErrors.name || createErrors.form ? ' field-invalid' : ''}`}>
              <label htmlFor="new-department-name" className="field-label">
                {t('departments.field.newName')}
              </label>
              <div className="inline-create-row">
                <input
                  ref={newNameRef}
                  id="new-department-name"
                  className="input"
                  value={name}
                  maxLength={100}
                  placeholder={t('departments.field.placeholder')}
                  onChange={(event) => {
                    setName(event.target.value);
                    setCreateErrors({});
                  }}
                  aria-invalid={createErrors.name || createErrors.form ? true : undefined}
                  aria-describedby={createErrors.name || createErrors.form ? 'new-department-error' : undefined}
                  autoComplete="off"
                  data-testid="new-department-name"
                />
                <button type="submit" className="btn btn-primary" disabled={creating} aria-busy={creating} data-testid="create-department">
                  {creating ? <Spinner /> : <Icon name="plus" size={16} />}
                  {t('departments.create')}
                </button>
              </div>
              <FieldError id="new-department-error" error={createErrors.name ?? createErrors.form} />
            </div>
          </form>

          <div className="card-header card-header-top-border">
            <h2 id="departments-caption" className="card-title" aria-live="polite">
              {tp('departments.count', departments.length)}
            </h2>
          </div>
          {departments.length === 0 ? (
            <EmptyState icon="building" title={t('departments.empty.title')} testId="departments-empty">
              <p>{t('departments.empty.body')}</p>
            </EmptyState>
          ) : (
            <ul className="list" data-testid="departments-list">
              {departments.map((department) => {
                const members = membersOf(department);
                const editing = renaming?.id === department.id ? renaming : null;
                const nameId = `department-${department.id}-name`;
                return (
                  <li
                    key={department.id}
                    className={`list-row${flash === department.id ? ' row-flash' : ''}`}
                    data-testid="department-row"
                    data-department-id={department.id}
                    data-name={department.name}
                  >
                    <span className="list-row-icon" aria-hidden="true">
                      <Icon name="building" size={18} />
                    </span>
                    <div className="list-row-main">
                      {editing ? (
                        <div className={`field${editing.errors.name || editing.errors.form ? ' field-invalid' : ''}`}>
                          <label htmlFor={`${nameId}-input`} className="visually-hidden">
                            {t('departments.field.rename', { name: department.name })}
                          </label>
                          <input
                            id={`${nameId}-input`}
                            className="input input-compact"
                            value={editing.name}
                            maxLength={100}
                            autoFocus
                            onChange={(event) => setRenaming({ ...editing, name: event.target.value, errors: {} })}
                            onKeyDown={onRenameKey}
                            aria-invalid={editing.errors.name || editing.errors.form ? true : undefined}
                            aria-describedby={editing.errors.name || editing.errors.form ? `${nameId}-error` : undefined}
                            data-testid="rename-department-input"
                          />
                          <FieldError id={`${nameId}-error`} error={editing.errors.name ?? editing.errors.form} />
                        </div>
                      ) : (
                        <>
                          <span id={nameId} className="list-row-title" data-testid="department-name">
                            {department.name}
                          </span>
                          <span className="list-row-sub">
                            {members.length === 0 ? (
                              <a href={hrefFor('agents')}>{t('departments.members.none')}</a>
                            ) : (
                              <>
                                <span className="avatar-stack" aria-hidden="true">
                                  {members.slice(0, 4).map((agent) => (
                                    <Avatar key={agent.userId} name={agent.displayName} seed={agent.username} size={20} />
                                  ))}
                                </span>
                                {tp('departments.members', members.length)}
                              </>
                            )}
                          </span>
                        </>
                      )}
                    </div>
                    <div className="row-actions">
                      {editing ? (
                        <>
                          <button type="button" className="btn btn-ghost btn-small" onClick={() => setRenaming(null)} disabled={editing.busy}>
                            {t('common.cancel')}
                          </button>
                          <button type="button" className="btn btn-primary btn-small" onClick={() => void rename()} disabled={editing.busy} aria-busy={editing.busy} data-testid="save-department">
                            {editing.busy && <Spinner size={14} />}
                            {t('common.save')}
                          </button>
                        </>
                      ) : (
                        <>
                          <button
                            type="button"
                            className="btn btn-ghost btn-small"
                            onClick={() => setRenaming({ id: department.id, name: department.name, errors: {}, busy: false })}
                            aria-describedby={nameId}
                            data-testid="rename-department"
                          >
                            <Icon name="edit" size={15} />
                            {t('departments.rename')}
                          </button>
                          <button type="button" className="btn btn-ghost btn-small btn-ghost-danger" onClick={() => setDeleting(department)} aria-describedby={nameId} data-testid="delete-department">
                            <Icon name="trash" size={15} />
                            {t('common.delete')}
                          </button>
                        </>
                      )}
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}

      {deleting && (
        <ConfirmDialog
          title={t('departments.delete.title', { name: deleting.name })}
          body={tp('departments.delete.body', membersOf(deleting).length)}
          confirmLabel={t('common.delete')}
          testId="delete-department-dialog"
          confirmTestId="confirm-delete-department"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await serviceApi.deleteDepartment(deleting.id);
            resource.setData((current) => ({
              departments: current.departments.filter((department) => department.id !== deleting.id),
              agents: current.agents.map((agent) => ({ ...agent, departmentIds: agent.departmentIds.filter((id) => id !== deleting.id) })),
            }));
            notify(t('departments.toast.deleted', { name: deleting.name }));
            setDeleting(null);
            // The row (and the button that opened the dialog) is gone: continue in the create field.
            requestAnimationFrame(() => newNameRef.current?.focus());
          }}
        />
      )}
    </div>
  );
}
