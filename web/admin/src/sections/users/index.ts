import { lazy } from 'react';
import type { AdminSection } from '../types';

export const usersSection: AdminSection = {
  id: 'users',
  group: 'people',
  titleKey: 'nav.users',
  icon: 'users',
  permission: 'admin.users',
  component: lazy(() => import('./UsersPage')),
};
