import type { ComponentType } from 'react';
import { VisitorsSection } from '../service/VisitorsSection.js';

/**
 * Extra sidebar sections. Each receives the sidebar's search text and decides itself whether it
 * shows (the Visitors section does only for agents).
 * - SIDEBAR_SECTIONS_BEFORE_CHATS: at the top, above the chat list — customer service's "Visitors"
 *   (waiting and assigned visitors must stay in view however long the chat list grows).
 * - SIDEBAR_SECTIONS_BEFORE_CONTACTS: between the chat list and the colleagues.
 */
export interface SidebarSectionProps {
  query: string;
}

type SidebarExtension = { id: string; Component: ComponentType<SidebarSectionProps> };

export const SIDEBAR_SECTIONS_BEFORE_CHATS: readonly SidebarExtension[] = [{ id: 'visitors', Component: VisitorsSection }];

export const SIDEBAR_SECTIONS_BEFORE_CONTACTS: readonly SidebarExtension[] = [];
