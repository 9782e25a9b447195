/*
 * The customer-service admin routes (permission admin.service), through `request()` until the
 * client SDK covers them. Every answer is parsed with the protocol's response schema.
 */
import {
  DepartmentResponse,
  DepartmentsResponse,
  OfflineMessageResponse,
  OfflineMessagesResponse,
  ServiceAgentResponse,
  ServiceAgentsResponse,
  ServiceReportResponse,
  ServiceSettingsResponse,
  SiteResponse,
  SitesResponse,
  type CreateSiteRequest,
  type Department,
  type OfflineMessage,
  type ServiceAgent,
  type ServiceReport,
  type ServiceSettings,
  type Site,
  type UpdateServiceAgentRequest,
  type UpdateServiceSettingsRequest,
  type UpdateSiteRequest,
} from '@switchboard/protocol';
import { request } from './api';

const BASE = '/api/admin/service';
const id = (value: string) => encodeURIComponent(value);

export type OfflineStatus = 'open' | 'handled' | 'all';

export interface ReportRange {
  from?: string;
  to?: string;
  tzOffsetMinutes: number;
}

export const serviceApi = {
  settings: async (): Promise<ServiceSettings> => (await request('GET', `${BASE}/settings`, ServiceSettingsResponse)).settings,
  updateSettings: async (input: UpdateServiceSettingsRequest): Promise<ServiceSettings> =>
    (await request('PATCH', `${BASE}/settings`, ServiceSettingsResponse, input)).settings,

  agents: async (): Promise<ServiceAgent[]> => (await request('GET', `${BASE}/agents`, ServiceAgentsResponse)).agents,
  updateAgent: async (userId: string, input: UpdateServiceAgentRequest): Promise<ServiceAgent> =>
    (await request('PATCH', `${BASE}/agents/${id(userId)}`, ServiceAgentResponse, input)).agent,

  departments: async (): Promise<Department[]> => (await request('GET', `${BASE}/departments`, DepartmentsResponse)).departments,
  createDepartment: async (name: string): Promise<Department> =>
    (await request('POST', `${BASE}/departments`, DepartmentResponse, { name })).department,
  renameDepartment: async (departmentId: string, name: string): Promise<Department> =>
    (await request('PATCH', `${BASE}/departments/${id(departmentId)}`, DepartmentResponse, { name })).department,
  deleteDepartment: (departmentId: string): Promise<void> => request('DELETE', `${BASE}/departments/${id(departmentId)}`, null),

  sites: async (): Promise<Site[]> => (await request('GET', `${BASE}/sites`, SitesResponse)).sites,
  createSite: async (input: CreateSiteRequest): Promise<Site> => (await request('POST', `${BASE}/sites`, SiteResponse, input)).site,
  updateSite: async (siteId: string, input: UpdateSiteRequest): Promise<Site> =>
    (await request('PATCH', `${BASE}/sites/${id(siteId)}`, SiteResponse, input)).site,
  deleteSite: (siteId: string): Promise<void> => request('DELETE', `${BASE}/sites/${id(siteId)}`, null),

  offline: (status: OfflineStatus, before?: number, limit = 50): Promise<{ messages: OfflineMessage[]; hasMore: boolean }> => {
    const query = new URLSearchParams({ status, limit: String(limit) });
    if (before !== undefined) query.set('before', String(before));
    return request('GET', `${BASE}/offline?${query}`, OfflineMessagesResponse);
  },
  setOfflineHandled: async (messageId: string, handled: boolean): Promise<OfflineMessage> =>
    (await request('PATCH', `${BASE}/offline/${id(messageId)}`, OfflineMessageResponse, { handled })).message,

  report: async (range: ReportRange): Promise<ServiceReport> => {
    const query = new URLSearchParams({ tzOffsetMinutes: String(range.tzOffsetMinutes) });
    if (range.from) query.set('from', range.from);
    if (range.to) query.set('to', range.to);
    return (await request('GET', `${BASE}/reports?${query}`, ServiceReportResponse)).report;
  },
};
