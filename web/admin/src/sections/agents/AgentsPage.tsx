/* Agents: everyone with the agent role, their duty, load, routing priority, capacity and departments. */
import { useDeferredValue, useMemo, useState, type KeyboardEvent } from 'react';
import { DutyStatus, UpdateServiceAgentRequest, type Department, type ServiceAgent } from '@switchboard/protocol';
import { Avatar } from '../../components/Avatar';
import { SelectField } from '../../components/Field';
import { SearchBox } from '../../components/SearchBox';
import { DataTable } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { MultiSelect } from '../../components/MultiSelect';
import { EmptyState, LoadErrorCard, LoadingCard, PageHeader, RefreshButton } from '../../components/Page';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toast';
import { TitledCard } from '../../components/TitledCard';
import { describeError, formErrorsFromApi, zodFieldErrors, type FieldErrors } from '../../errors';
import { useI18n, type MessageKey } from '../../i18n';
import { hrefFor } from '../../router';
import { serviceApi } from '../../serviceApi';
import { useResource } from '../../useResource';
import type { SectionProps } from '../types';

const FIELDS = ['priority', 'maxChats', 'departmentIds'] as const;
type Field = (typeof FIELDS)[number];

interface Draft {
  priority: string;
  maxChats: string;
  departmentIds: string[];
}

export const DUTY_LABEL: Record<DutyStatus, MessageKey> = {
  available: 'agents.duty.available',
  away: 'agents.duty.away',
  off: 'agents.duty.off',
};

type DutyFilter = 'all' | DutyStatus;

function draftOf(agent: ServiceAgent): Draft {
  return { priority: String(agent.priority), maxChats: String(agent.maxChats), departmentIds: [...agent.departmentIds] };
}

function toNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}

function changesOf(agent: ServiceAgent, draft: Draft): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (toNumber(draft.priority) !== agent.priority) changes.priority = toNumber(draft.priority);
  if (toNumber(draft.maxChats) !== agent.maxChats) changes.maxChats = toNumber(draft.maxChats);
  if (!sameSet(draft.departmentIds, agent.departmentIds)) changes.departmentIds = draft.departmentIds;
  return changes;
}

const DUTY_ORDER: Record<DutyStatus, number> = { available: 0, away: 1, off: 2 };

export default function AgentsPage(_props: SectionProps) {
  const { t, tp } = useI18n();
  const { notify } = useToast();
  const resource = useResource(
    async () => {
      const [agents, departments] = await Promise.all([serviceApi.agents(), serviceApi.departments()]);
      return { agents, departments };
    },
    [],
    (error) => notify(describeError(t, error), 'error'),
  );
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [errors, setErrors] = useState<Record<string, FieldErrors<Field>>>({});
  const [saving, setSaving] = useState<Record<string, boolean>>({});
  const [flash, setFlash] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [dutyFilter, setDutyFilter] = useState<DutyFilter>('all');
  const deferredQuery = useDeferredValue(query);

  const agents = useMemo(() => resource.data?.agents ?? [], [resource.data]);
  const departments: Department[] = resource.data?.departments ?? [];
  const counts = useMemo(() => {
    const result: Record<DutyStatus, number> = { available: 0, away: 0, off: 0 };
    for (const agent of agents) result[agent.dutyStatus] += 1;
    return result;
  }, [agents]);
  const visible = useMemo(() => {
    const needle = deferredQuery.trim().toLocaleLowerCase();
    return agents
      .filter(
        (agent) =>
          (needle === '' || agent.username.toLocaleLowerCase().includes(needle) || agent.displayName.toLocaleLowerCase().includes(needle)) &&
          (dutyFilter === 'all' || agent.dutyStatus === dutyFilter),
      )
      .sort((a, b) => DUTY_ORDER[a.dutyStatus] - DUTY_ORDER[b.dutyStatus] || a.displayName.localeCompare(b.displayName));
  }, [agents, deferredQuery, dutyFilter]);

  const draftFor = (agent: ServiceAgent) => drafts[agent.userId] ?? draftOf(agent);
  const edit = (agent: ServiceAgent, patch: Partial<Draft>, field: Field) => {
    setDrafts((current) => ({ ...current, [agent.userId]: { ...(current[agent.userId] ?? draftOf(agent)), ...patch } }));
    setErrors((current) => {
      const existing = current[agent.userId];
      if (!existing) return current;
      const { [field]: _removed, form: _form, ...rest } = existing;
      return { ...current, [agent.userId]: rest };
    });
  };
  const discard = (agent: ServiceAgent) => {
    setDrafts(({ [agent.userId]: _removed, ...rest }) => rest);
    setErrors(({ [agent.userId]: _removed, ...rest }) => rest);
  };

  const save = async (agent: ServiceAgent) => {
    if (saving[agent.userId]) return;
    const draft = draftFor(agent);
    const parsed = UpdateServiceAgentRequest.safeParse(changesOf(agent, draft));
    if (!parsed.success) {
      setErrors((current) => ({ ...current, [agent.userId]: zodFieldErrors(t, parsed.error, FIELDS) }));
      return;
    }
    if (Object.keys(parsed.data).length === 0) {
      discard(agent);
      return;
    }
    setSaving((current) => ({ ...current, [agent.userId]: true }));
    try {
      const saved = await serviceApi.updateAgent(agent.userId, parsed.data);
      resource.setData((current) => ({ ...current, agents: current.agents.map((existing) => (existing.userId === saved.userId ? saved : existing)) }));
      discard(agent);
      setFlash(agent.userId);
      window.setTimeout(() => setFlash((current) => (current === agent.userId ? null : current)), 2500);
      notify(t('agents.toast.saved', { name: saved.displayName }));
    } catch (error) {
      setErrors((current) => ({ ...current, [agent.userId]: formErrorsFromApi(t, error, FIELDS) }));
    } finally {
      setSaving(({ [agent.userId]: _removed, ...rest }) => rest);
    }
  };

  const onFieldKey = (agent: ServiceAgent) => (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void save(agent);
    } else if (event.key === 'Escape' && drafts[agent.userId]) {
      event.preventDefault();
      discard(agent);
    }
  };

  const dirtyCount = agents.filter((agent) => drafts[agent.userId] && Object.keys(changesOf(agent, drafts[agent.userId]!)).length > 0).length;
  const departmentOptions = departments.map((department) => ({ value: department.id, label: department.name }));

  return (
    <div className="page" data-testid="agents-page">
      <PageHeader title={t('agents.title')} subtitle={t('agents.subtitle')} inlineActions actions={<RefreshButton refreshing={resource.refreshing} onClick={resource.reload} />} />

      {resource.state.status === 'loading' && <LoadingCard testId="agents-loading" />}
      {resource.state.status === 'error' && (
        <LoadErrorCard title={t('agents.loadFailed')} error={resource.state.error} onRetry={resource.reload} busy={resource.refreshing} testId="agents-error" />
      )}
      {resource.state.status === 'ready' && (
        <>
          <div className="stat-strip" role="group" aria-label={t('agents.summary')}>
            {DutyStatus.options.map((status) => (
              <button
                key={status}
                type="button"
                className={`stat-pill${dutyFilter === status ? ' stat-pill-active' : ''}`}
                aria-pressed={dutyFilter === status}
                onClick={() => setDutyFilter(dutyFilter === status ? 'all' : status)}
              >
                <span className={`duty-dot duty-${status}`} aria-hidden="true" />
                <span className="stat-pill-count">{counts[status]}</span>
                <span>{t(DUTY_LABEL[status])}</span>
              </button>
            ))}
          </div>

          <div className="toolbar" role="search">
            <SearchBox
              id="agents-search"
              label={t('agents.search.label')}
              placeholder={t('agents.search.placeholder')}
              value={query}
              onChange={setQuery}
              testId="agents-search"
            />
            <SelectField
              label={t('agents.filter.duty')}
              value={dutyFilter}
              onChange={(value) => setDutyFilter(value as DutyFilter)}
              options={[{ value: 'all', label: t('agents.filter.allDuty') }, ...DutyStatus.options.map((status) => ({ value: status, label: t(DUTY_LABEL[status]) }))]}
              testId="agents-filter-duty"
            />
          </div>

          <TitledCard
            titleId="agents-table-caption"
            title={
              <>
                {tp('agents.count', agents.length)}
                {dirtyCount > 0 && <span className="badge badge-warning">{tp('agents.unsaved', dirtyCount)}</span>}
              </>
            }
            live
            aside={<p className="card-header-hint hide-on-phone">{t('agents.hint.departments')}</p>}
          >
            {agents.length === 0 ? (
              <EmptyState icon="headset" title={t('agents.empty.title')} testId="agents-empty">
                <p>{t('agents.empty.body')}</p>
                <a className="btn btn-secondary" href={hrefFor('users')}>
                  {t('agents.empty.action')}
                </a>
              </EmptyState>
            ) : visible.length === 0 ? (
              <EmptyState icon="search" title={t('agents.empty.filtered')} testId="agents-empty" />
            ) : (
              <DataTable
                className="agents-table card-table"
                testId="agents-table"
                columns={[
                  { key: 'agent', label: t('agents.column.agent') },
                  { key: 'duty', label: t('agents.column.duty') },
                  { key: 'active', label: t('agents.column.active') },
                  {
                    key: 'priority',
                    label: (
                      <span className="th-with-hint" title={t('agents.hint.priority')}>
                        {t('agents.column.priority')}
                      </span>
                    ),
                  },
                  { key: 'maxChats', label: t('agents.column.maxChats') },
                  { key: 'departments', label: t('agents.column.departments') },
                ]}
                actionsLabel={t('agents.column.actions')}
              >
                {visible.map((agent) => {
                  const draft = draftFor(agent);
                  const rowErrors = errors[agent.userId] ?? {};
                  const dirty = drafts[agent.userId] !== undefined && Object.keys(changesOf(agent, draft)).length > 0;
                  const busy = saving[agent.userId] === true;
                  const base = `agent-${agent.userId}`;
                  const nameId = `${base}-name`;
                  const load = agent.maxChats > 0 ? Math.min(1, agent.activeChats / agent.maxChats) : agent.activeChats > 0 ? 1 : 0;
                  return (
                    <tr
                      key={agent.userId}
                      className={`${dirty ? 'row-dirty' : ''}${flash === agent.userId ? ' row-flash' : ''}`}
                      data-testid={`agent-row-${agent.username}`}
                      data-user-id={agent.userId}
                    >
                      <td data-label={t('agents.column.agent')}>
                        <div className="user-cell">
                          <Avatar name={agent.displayName} seed={agent.username} size={34} />
                          <div className="user-cell-text">
                            <span id={nameId} className="user-cell-name">
                              {agent.displayName}
                            </span>
                            <span className="user-cell-sub">@{agent.username}</span>
                          </div>
                        </div>
                      </td>
                      <td data-label={t('agents.column.duty')}>
                        <span className={`duty duty-${agent.dutyStatus}`} data-testid="agent-duty">
                          <span className={`duty-dot duty-${agent.dutyStatus}`} aria-hidden="true" />
                          {t(DUTY_LABEL[agent.dutyStatus])}
                        </span>
                      </td>
                      <td data-label={t('agents.column.active')}>
                        <div className="load" title={t('agents.load', { active: agent.activeChats, max: agent.maxChats })}>
                          <span className="load-text" data-testid="agent-active-chats">
                            {agent.activeChats}
                            <span className="muted"> / {agent.maxChats}</span>
                          </span>
                          <span className="load-bar" aria-hidden="true">
                            <span className={`load-bar-fill${load >= 1 ? ' load-bar-full' : ''}`} style={{ width: `${Math.round(load * 100)}%` }} />
                          </span>
                        </div>
                      </td>
                      <td data-label={t('agents.column.priority')}>
                        <NumberCell
                          id={`${base}-priority`}
                          label={t('agents.field.priority', { name: agent.displayName })}
                          value={draft.priority}
                          min={-1000}
                          max={1000}
                          error={rowErrors.priority}
                          onChange={(value) => edit(agent, { priority: value }, 'priority')}
                          onKeyDown={onFieldKey(agent)}
                          testId="agent-priority"
                        />
                      </td>
                      <td data-label={t('agents.column.maxChats')}>
                        <NumberCell
                          id={`${base}-max`}
                          label={t('agents.field.maxChats', { name: agent.displayName })}
                          value={draft.maxChats}
                          min={0}
                          max={100}
                          error={rowErrors.maxChats}
                          onChange={(value) => edit(agent, { maxChats: value }, 'maxChats')}
                          onKeyDown={onFieldKey(agent)}
                          testId="agent-max-chats"
                        />
                      </td>
                      <td data-label={t('agents.column.departments')} className="departments-cell">
                        <MultiSelect
                          label={t('agents.field.departments', { name: agent.displayName })}
                          options={departmentOptions}
                          value={draft.departmentIds}
                          onChange={(next) => edit(agent, { departmentIds: next }, 'departmentIds')}
                          placeholder={t('agents.departments.none')}
                          emptyText={t('agents.departments.noneDefined')}
                          invalid={rowErrors.departmentIds !== undefined}
                          describedBy={rowErrors.departmentIds ? `${base}-departments-error` : undefined}
                          testId="agent-departments"
                        />
                        {rowErrors.departmentIds && (
                          <p id={`${base}-departments-error`} className="field-error cell-error" role="alert">
                            <Icon name="alert" size={14} />
                            <span>{rowErrors.departmentIds}</span>
                          </p>
                        )}
                      </td>
                      <td className="actions-cell">
                        <div className="row-actions">
                          {dirty && (
                            <button type="button" className="btn btn-ghost btn-small" onClick={() => discard(agent)} disabled={busy} aria-describedby={nameId} data-testid="agent-discard">
                              {t('common.discard')}
                            </button>
                          )}
                          <button
                            type="button"
                            className={`btn btn-small ${dirty ? 'btn-primary' : 'btn-secondary'}`}
                            onClick={() => void save(agent)}
                            disabled={!dirty || busy}
                            aria-busy={busy}
                            aria-describedby={nameId}
                            data-testid="agent-save"
                          >
                            {busy ? <Spinner size={14} /> : <Icon name="check" size={15} />}
                            {t('common.save')}
                          </button>
                        </div>
                        {rowErrors.form && (
                          <p className="field-error cell-error" role="alert" data-testid="agent-error">
                            <Icon name="alert" size={14} />
                            <span>{rowErrors.form}</span>
                          </p>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </DataTable>
            )}
          </TitledCard>
          <p className="footnote show-on-phone">{t('agents.hint.departments')}</p>
        </>
      )}
    </div>
  );
}

function NumberCell({
  id,
  label,
  value,
  min,
  max,
  error,
  onChange,
  onKeyDown,
  testId,
}: {
  id: string;
  label: string;
  value: string;
  min: number;
  max: number;
  error: string | undefined;
  onChange: (value: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
  testId: string;
}) {
  return (
    <div className="cell-field">
      <input
        id={id}
        className="input input-number input-compact"
        type="number"
        inputMode="numeric"
        step={1}
        min={min}
        max={max}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        aria-label={label}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        data-testid={testId}
      />
      {error && (
        <p id={`${id}-error`} className="field-error cell-error" role="alert">
          <Icon name="alert" size={14} />
          <span>{error}</span>
        </p>
      )}
    </div>
  );
}
