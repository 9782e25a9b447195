/*
 * The sections registry: the sidebar, the router and the permission gate all read this list.
 *
 * To add a section (e.g. Customer service → Routing):
 *   1. create src/sections/routing/index.ts exporting an AdminSection (lazy-load the page component),
 *   2. add it to SECTIONS below,
 *   3. add its strings to src/i18n/en.ts and zh-CN.ts (the compiler lists any you forget).
 */
import type { Permission } from '@switchboard/protocol';
import type { AdminSection } from './types';
import { agentsSection } from './agents';
import { departmentsSection } from './departments';
import { offlineSection } from './offline';
import { reportsSection } from './reports';
import { routingSection } from './routing';
import { sitesSection } from './sites';
import { usersSection } from './users';

export { NAV_GROUPS, type AdminSection, type NavGroupId, type SectionProps } from './types';

export const SECTIONS: readonly AdminSection[] = [
  usersSection,
  routingSection,
  agentsSection,
  departmentsSection,
  sitesSection,
  offlineSection,
  reportsSection,
];

/** The sections a user with these permissions may open, in registry order. */
export function sectionsFor(permissions: readonly Permission[]): AdminSection[] {
  return SECTIONS.filter((section) => permissions.includes(section.permission));
}
