/* Reports: chats per day, waiting and first-response times, missed chats, offline messages, per agent. */
import { useState } from 'react';
import type { ServiceReport } from '@switchboard/protocol';
import { Avatar } from '../../components/Avatar';
import { Icon, type IconName } from '../../components/Icon';
import { EmptyState, LoadErrorCard, LoadingCard, PageHeader, RefreshButton } from '../../components/Page';
import { DataTable } from '../../components/DataTable';
import { useToast } from '../../components/Toast';
import { TitledCard } from '../../components/TitledCard';
import { describeError } from '../../errors';
import { formatDay, formatDuration, formatNumber, localDay, tzOffsetMinutes } from '../../format';
import { useI18n } from '../../i18n';
import { serviceApi } from '../../serviceApi';
import { useResource } from '../../useResource';
import type { SectionProps } from '../types';
import { DayChart } from './DayChart';

const RANGES = [7, 14, 30] as const;
type Range = (typeof RANGES)[number];
const DAY_MS = 86_400_000;

function rangeFor(days: Range) {
  const to = localDay();
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to, tzOffsetMinutes: tzOffsetMinutes() };
}

export default function ReportsPage(_props: SectionProps) {
  const { t, tp, locale } = useI18n();
  const { notify } = useToast();
  const [days, setDays] = useState<Range>(7);
  const resource = useResource(() => serviceApi.report(rangeFor(days)), [days], (error) => notify(describeError(t, error), 'error'));
  const report = resource.data;

  return (
    <div className="page" data-testid="reports-page">
      <PageHeader
        title={t('reports.title')}
        subtitle={report ? t('reports.subtitleRange', { from: formatDay(locale, report.from, 'long'), to: formatDay(locale, report.to, 'long') }) : t('reports.subtitle')}
        inlineActions actions={<RefreshButton refreshing={resource.refreshing} onClick={resource.reload} />}
      />
      <div className="toolbar">
        <div className="segmented" role="radiogroup" aria-label={t('reports.range')}>
          {RANGES.map((range) => (
            <button
              key={range}
              type="button"
              role="radio"
              aria-checked={days === range}
              tabIndex={days === range ? 0 : -1}
              className={`segmented-option${days === range ? ' segmented-option-active' : ''}`}
              onClick={() => setDays(range)}
              onKeyDown={(event) => {
                if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
                event.preventDefault();
                const index = RANGES.indexOf(days);
                setDays(RANGES[(index + (event.key === 'ArrowRight' ? 1 : RANGES.length - 1)) % RANGES.length]!);
                const group = event.currentTarget.parentElement;
                requestAnimationFrame(() => group?.querySelector<HTMLElement>('[aria-checked="true"]')?.focus());
              }}
              data-testid={`report-range-${range}`}
            >
              {tp('reports.lastDays', range)}
            </button>
          ))}
        </div>
      </div>

      {resource.state.status === 'loading' && <LoadingCard testId="reports-loading" />}
      {resource.state.status === 'error' && (
        <LoadErrorCard title={t('reports.loadFailed')} error={resource.state.error} onRetry={resource.reload} busy={resource.refreshing} testId="reports-error" />
      )}
      {report && <ReportView report={report} days={days} />}
    </div>
  );
}

function ReportView({ report, days }: { report: ServiceReport; days: Range }) {
  const { t, tp, locale } = useI18n();
  const today = report.days[report.days.length - 1];
  const cards: Array<{ id: string; icon: IconName; label: string; value: string; note?: string; tone?: 'warning' }> = [
    { id: 'today', icon: 'chat', label: t('reports.card.today'), value: formatNumber(locale, today?.chats ?? 0), note: today ? tp('reports.card.todayMissed', today.missed) : undefined },
    { id: 'chats', icon: 'chart', label: tp('reports.card.chats', days), value: formatNumber(locale, report.totals.chats) },
    { id: 'wait', icon: 'hourglass', label: t('reports.card.wait'), value: formatDuration(t, report.totals.avgWaitMs) },
    { id: 'firstResponse', icon: 'reply', label: t('reports.card.firstResponse'), value: formatDuration(t, report.totals.avgFirstResponseMs) },
    {
      id: 'missed',
      icon: 'missed',
      label: t('reports.card.missed'),
      value: formatNumber(locale, report.totals.missed),
      note: report.totals.chats > 0 ? t('reports.card.missedShare', { percent: Math.round((report.totals.missed / report.totals.chats) * 100) }) : undefined,
      ...(report.totals.missed > 0 ? { tone: 'warning' as const } : {}),
    },
    { id: 'offline', icon: 'inbox', label: t('reports.card.offline'), value: formatNumber(locale, report.totals.offlineMessages) },
  ];
  const maxAgentChats = Math.max(1, ...report.agents.map((agent) => agent.chats));

  return (
    <>
      <ul className="stat-cards" data-testid="reports-summary">
        {cards.map((card) => (
          <li key={card.id} className={`card stat-card${card.tone ? ` stat-card-${card.tone}` : ''}`} data-testid={`report-card-${card.id}`}>
            <span className="stat-card-icon" aria-hidden="true">
              <Icon name={card.icon} size={18} />
            </span>
            <span className="stat-card-label">{card.label}</span>
            <span className="stat-card-value" data-testid="report-value">
              {card.value}
            </span>
            {card.note && <span className="stat-card-note">{card.note}</span>}
          </li>
        ))}
      </ul>

      <TitledCard
        titleId="chart-title"
        title={t('reports.chart.title')}
        className="chart-card"
        aside={
          <div className="legend" aria-hidden="true">
            {(['answered', 'missed', 'offline'] as const).map((series) => (
              <span key={series} className="legend-item">
                <span className={`legend-swatch legend-${series}`} />
                {t(`reports.chart.${series}`)}
              </span>
            ))}
          </div>
        }
      >
        <DayChart days={report.days} />
      </TitledCard>

      <TitledCard titleId="agents-report-title" title={t('reports.agents.title')}>
        {report.agents.length === 0 ? (
          <EmptyState icon="headset" title={t('reports.agents.empty')} testId="report-agents-empty" />
        ) : (
          <DataTable
            className="report-agents-table card-table"
            testId="report-agents-table"
            columns={[
              { key: 'agent', label: t('reports.agents.agent') },
              { key: 'chats', label: t('reports.agents.chats') },
              { key: 'share', label: t('reports.agents.share'), className: 'share-col' },
              { key: 'firstResponse', label: t('reports.agents.firstResponse') },
            ]}
          >
            {report.agents.map((agent) => (
              <tr key={agent.agentId} data-testid="report-agent-row">
                <td data-label={t('reports.agents.agent')}>
                  <div className="user-cell">
                    <Avatar name={agent.displayName} seed={agent.agentId} size={28} />
                    <span className="user-cell-name">{agent.displayName}</span>
                  </div>
                </td>
                <td data-label={t('reports.agents.chats')} className="num">
                  {formatNumber(locale, agent.chats)}
                </td>
                <td data-label={t('reports.agents.share')} className="share-col">
                  <span className="share-bar" aria-hidden="true">
                    <span className="share-bar-fill" style={{ width: `${Math.round((agent.chats / maxAgentChats) * 100)}%` }} />
                  </span>
                  <span className="visually-hidden">
                    {report.totals.chats > 0 ? `${Math.round((agent.chats / report.totals.chats) * 100)}%` : '—'}
                  </span>
                </td>
                <td data-label={t('reports.agents.firstResponse')}>{formatDuration(t, agent.avgFirstResponseMs)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </TitledCard>
    </>
  );
}
