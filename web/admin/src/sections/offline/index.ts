import { lazy } from 'react';
import type { AdminSection } from '../types';

export const offlineSection: AdminSection = {
  id: 'offline',
  group: 'customerService',
  titleKey: 'nav.offline',
  icon: 'inbox',
  permission: 'admin.service',
  component: lazy(() => import('./OfflinePage')),
};
