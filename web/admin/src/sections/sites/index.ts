import { lazy } from 'react';
import type { AdminSection } from '../types';

export const sitesSection: AdminSection = {
  id: 'sites',
  group: 'customerService',
  titleKey: 'nav.sites',
  icon: 'globe',
  permission: 'admin.service',
  component: lazy(() => import('./SitesPage')),
};
