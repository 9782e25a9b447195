import { lazy } from 'react';
import type { AdminSection } from '../types';

export const routingSection: AdminSection = {
  id: 'routing',
  group: 'customerService',
  titleKey: 'nav.routing',
  icon: 'routing',
  permission: 'admin.service',
  component: lazy(() => import('./RoutingPage')),
};
