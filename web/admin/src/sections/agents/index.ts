import { lazy } from 'react';
import type { AdminSection } from '../types';

export const agentsSection: AdminSection = {
  id: 'agents',
  group: 'customerService',
  titleKey: 'nav.agents',
  icon: 'headset',
  permission: 'admin.service',
  component: lazy(() => import('./AgentsPage')),
};
