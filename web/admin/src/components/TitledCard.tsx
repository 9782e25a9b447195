import type { ReactNode } from 'react';

interface TitledCardProps {
  titleId: string;
  title: ReactNode;
  /** The title changes with what is shown (counts): screen readers hear it. */
  live?: boolean;
  /** Beside the title (a hint, a legend, a link). */
  aside?: ReactNode;
  /** Classes beside `card`. */
  className?: string;
  children: ReactNode;
}

/** A card section named by its header's title. */
export function TitledCard({ titleId, title, live = false, aside, className, children }: TitledCardProps) {
  return (
    <section className={className ? `card ${className}` : 'card'} aria-labelledby={titleId}>
      <div className="card-header">
        <h2 id={titleId} className="card-title" aria-live={live ? 'polite' : undefined}>
          {title}
        </h2>
        {aside}
      </div>
      {children}
    </section>
  );
}
