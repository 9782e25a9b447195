import { lazy } from 'react';
import type { AdminSection } from '../types';

export const reportsSection: AdminSection = {
  id: 'reports',
  group: 'customerService',
  titleKey: 'nav.reports',
  icon: 'chart',
  permission: 'admin.service',
  component: lazy(() => import('./ReportsPage')),
};
