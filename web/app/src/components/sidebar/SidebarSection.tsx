import { useId, useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nProvider.js';
import { Icon } from '../common/Icon.js';

interface SidebarSectionProps {
  title: string;
  /** Buttons at the right of the heading (e.g. "New group"). */
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  /** A count beside the title (e.g. unseen visitor messages); hidden when 0. */
  count?: number;
  /** Accessible text for the count. */
  countLabel?: string;
  /** Something here needs attention now (drawn highlighted; `data-attention` for tests). */
  attention?: boolean;
}

/** A collapsible group in the sidebar with a heading that is also a disclosure button. */
export function SidebarSection({ title, actions, children, testId, count = 0, countLabel, attention = false }: SidebarSectionProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(true);
  const bodyId = useId();
  return (
    <section className={`sidebar-section${attention ? ' needs-attention' : ''}`} data-testid={testId} data-attention={attention || undefined} aria-label={title}>
      <div className="sidebar-section-header">
        <h2>
          <button
            type="button"
            className="sidebar-section-toggle"
            aria-expanded={open}
            aria-controls={bodyId}
            title={t(open ? 'sidebar.collapse' : 'sidebar.expand', { section: title })}
            onClick={() => setOpen(!open)}
          >
            <span className={`chevron${open ? '' : ' chevron-closed'}`}>
              <Icon name="chevron" size={14} />
            </span>
            {title}
            {count > 0 ? (
              <span className="badge section-badge" aria-label={countLabel}>
                {count > 99 ? '99+' : count}
              </span>
            ) : null}
          </button>
        </h2>
        {actions ? <div className="sidebar-section-actions">{actions}</div> : null}
      </div>
      <div id={bodyId} hidden={!open}>
        {children}
      </div>
    </section>
  );
}
