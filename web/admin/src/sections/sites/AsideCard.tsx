import type { ReactNode } from 'react';
import { Icon, type IconName } from '../../components/Icon';

interface AsideCardProps {
  titleId: string;
  icon: IconName;
  title: string;
  /** A button beside the title. */
  action?: ReactNode;
  testId: string;
  children: ReactNode;
}

/** A card beside the site form (embed code, preview). */
export function AsideCard({ titleId, icon, title, action, testId, children }: AsideCardProps) {
  return (
    <section className="card aside-card" aria-labelledby={titleId} data-testid={testId}>
      <div className="aside-card-header">
        <h2 id={titleId} className="aside-card-title">
          <Icon name={icon} size={16} />
          {title}
        </h2>
        {action}
      </div>
      {children}
    </section>
  );
}
