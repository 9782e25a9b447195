import type { ReactNode } from 'react';

export interface Column {
  key: string;
  label: ReactNode;
  className?: string;
}

/** A table in its scrolling wrapper, with a header row over the rows given as children. */
export function DataTable({ className, testId, columns, actionsLabel, children }: { className: string; testId: string; columns: readonly Column[]; actionsLabel?: string; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className={`table ${className}`} data-testid={testId}>
        <TableHead columns={columns} actionsLabel={actionsLabel} />
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A table's header row; with `actionsLabel`, a last column for the row buttons, named for screen readers only. */
function TableHead({ columns, actionsLabel }: { columns: readonly Column[]; actionsLabel?: string }) {
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
