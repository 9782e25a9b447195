import type { ComponentType } from 'react';

/**
 * Extra sidebar sections, rendered between the chat list and the colleagues. The customer-service
 * milestone registers its "Visitors" section here (waiting and assigned visitors for an agent on
 * duty). Each receives the sidebar's search text.
 */
export interface SidebarSectionProps {
  query: string;
}

export const SIDEBAR_SECTIONS_BEFORE_CONTACTS: readonly { id: string; Component: ComponentType<SidebarSectionProps> }[] = [];
