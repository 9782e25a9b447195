/*
 * Chats per day as a plain CSS bar chart: answered and missed chats stacked, offline messages as
 * a thin bar beside them. Screen readers get the same numbers as a table.
 */
import type { ServiceReport } from '@switchboard/protocol';
import { formatDay } from '../../format';
import { useI18n } from '../../i18n';

type Day = ServiceReport['days'][number];

/** A round upper bound for the axis: 1, 2, 5, 10, 20, 50… at least the largest value. */
function niceMax(value: number): number {
  if (value <= 4) return Math.max(1, Math.ceil(value));
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function DayChart({ days }: { days: readonly Day[] }) {
  const { t, locale } = useI18n();
  const max = niceMax(Math.max(0, ...days.map((day) => Math.max(day.chats, day.offlineMessages))));
  const ticks = max <= 4 ? Array.from({ length: max + 1 }, (_, i) => i) : [0, max / 2, max];
  const labelEvery = days.length > 16 ? Math.ceil(days.length / 10) : 1;
  const pct = (value: number) => `${(value / max) * 100}%`;

  return (
    <div className="day-chart" data-testid="report-chart">
      <div className="day-chart-plot" aria-hidden="true">
        <div className="day-chart-axis">
          {ticks.map((tick) => (
            <span key={tick} className="day-chart-tick" style={{ bottom: pct(tick) }}>
              {tick}
            </span>
          ))}
        </div>
        <div className="day-chart-main">
          <div className="day-chart-canvas">
            {ticks.map((tick) => (
              <span key={tick} className={`day-chart-grid${tick === 0 ? ' day-chart-baseline' : ''}`} style={{ bottom: pct(tick) }} />
            ))}
            {days.map((day) => {
              const answered = day.chats - day.missed;
              return (
                <div
                  key={day.day}
                  className="day-chart-col"
                  title={t('reports.chart.tooltip', { day: formatDay(locale, day.day, 'long'), chats: day.chats, missed: day.missed, offline: day.offlineMessages })}
                >
                  <div className="day-chart-stack" style={{ height: pct(day.chats) }} data-testid="report-bar" data-day={day.day} data-chats={day.chats}>
                    {day.missed > 0 && <span className="day-chart-missed" style={{ height: `${(day.missed / Math.max(1, day.chats)) * 100}%` }} />}
                    {answered > 0 && <span className="day-chart-answered" />}
                  </div>
                  <div className="day-chart-offline" style={{ height: pct(day.offlineMessages) }} />
                </div>
              );
            })}
          </div>
          <div className="day-chart-labels">
            {days.map((day, index) => (
              <span key={day.day} className={`day-chart-label${index % labelEvery === 0 || index === days.length - 1 ? '' : ' day-chart-label-hidden'}`}>
                {formatDay(locale, day.day)}
              </span>
            ))}
          </div>
        </div>
      </div>
      {/* A table ignores width: 1px; the hiding box goes around it. */}
      <div className="visually-hidden">
        <table>
          <caption>{t('reports.chart.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.chart.day')}</th>
              <th scope="col">{t('reports.chart.chats')}</th>
              <th scope="col">{t('reports.chart.missed')}</th>
              <th scope="col">{t('reports.chart.offline')}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.day}>
                <th scope="row">{formatDay(locale, day.day, 'long')}</th>
                <td>{day.chats}</td>
                <td>{day.missed}</td>
                <td>{day.offlineMessages}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
