import { lazy } from 'react';
import type { AdminSection } from '../types';

export const departmentsSection: AdminSection = {
  id: 'departments',
  group: 'customerService',
  titleKey: 'nav.departments',
  icon: 'building',
  permission: 'admin.service',
  component: lazy(() => import('./DepartmentsPage')),
};
