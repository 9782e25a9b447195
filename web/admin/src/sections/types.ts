import type { ComponentType, LazyExoticComponent } from 'react';
import type { Permission } from '@switchboard/protocol';
import type { IconName } from '../components/Icon';
import type { MessageKey } from '../i18n';

/** Navigation groups, in the order the sidebar shows them. Empty groups are hidden. */
export const NAV_GROUPS = [
  { id: 'people', titleKey: 'nav.group.people' },
  { id: 'customerService', titleKey: 'nav.group.customerService' },
  { id: 'system', titleKey: 'nav.group.system' },
] as const satisfies ReadonlyArray<{ id: string; titleKey: MessageKey }>;

export type NavGroupId = (typeof NAV_GROUPS)[number]['id'];

/**
 * One page of the console. The section's component gets the path segments after its own id
 * (`#/users/abc` → `['abc']`) for its own sub-pages.
 */
export interface SectionProps {
  subpath: readonly string[];
}

export interface AdminSection {
  /** URL segment (`#/<id>`) and stable test id (`nav-<id>`). Lower-case, no slashes. */
  id: string;
  group: NavGroupId;
  /** Nav label and page title. */
  titleKey: MessageKey;
  icon: IconName;
  /** The section is listed and reachable only with this permission (the server checks again). */
  permission: Permission;
  component: ComponentType<SectionProps> | LazyExoticComponent<ComponentType<SectionProps>>;
}
