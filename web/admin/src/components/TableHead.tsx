import type { ReactNode } from 'react';

export interface Column {
  key: string;
  label: ReactNode;
  className?: string;
}

/** A table's header row; with `actionsLabel`, a last column for the row buttons, named for screen readers only. */
export function TableHead({ columns, actionsLabel }: { columns: readonly Column[]; actionsLabel?: string }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column.key} scope="col" className={column.className}>
            {column.label}
          </th>
        ))}
        {actionsLabel !== undefined && (
          <th scope="col" className="actions-col">
            <span className="visually-hidden">{actionsLabel}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}
