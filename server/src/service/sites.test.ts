import { describe, expect, it } from 'vitest';
import type { Department } from '@switchboard/protocol';
import { CACHE_MS, DEFAULT_COLOR, DEFAULT_GREETING, ONLINE_CACHE_MS, Sites } from './sites.js';
import type { ServiceRepositories } from './store/index.js';
import type { SiteRecord } from './store/sites.js';

const site: SiteRecord = {
  id: '0192f1c2-0000-7000-8000-000000000001',
  siteKey: 'shop',
  name: 'Shop',
  allowedOrigins: ['self'],
  color: DEFAULT_COLOR,
  greeting: DEFAULT_GREETING,
  preChatEnabled: false,
  preChatFields: [],
  createdAt: 0,
  updatedAt: 0,
};

/** Sites over stand-in tables that count their reads, on a clock the test moves. */
function sitesOverCountedTables() {
  const clock = { now: 1_000 };
  const state = { departments: [] as Department[], onDuty: false };
  const reads = { departments: 0, onDuty: 0 };
  const repos = {
    departments: {
      list: async () => {
        reads.departments += 1;
        return [...state.departments];
      },
    },
    agents: {
      anyOnDuty: async () => {
        reads.onDuty += 1;
        return state.onDuty;
      },
    },
  } as unknown as ServiceRepositories;
  return { sites: new Sites(repos, () => clock.now), state, reads, clock };
}

describe('Sites: the widget settings', () => {
  it('reuse the departments until the admin changes one (forgetDepartments) or the cache time passes', async () => {
    const { sites, state, reads, clock } = sitesOverCountedTables();
    expect((await sites.widgetConfig(site)).departments).toEqual([]);
    state.departments = [{ id: 'd1', name: 'Billing' }];
    expect((await sites.widgetConfig(site)).departments).toEqual([]);
    sites.forgetDepartments();
    expect((await sites.widgetConfig(site)).departments).toEqual([{ id: 'd1', name: 'Billing' }]);
    expect(reads.departments).toBe(2);
    clock.now += CACHE_MS;
    await sites.widgetConfig(site);
    expect(reads.departments).toBe(3);
  });

  it('reuse "anyone on duty?" until a duty changes (forgetOnline) or a second passes', async () => {
    const { sites, state, reads, clock } = sitesOverCountedTables();
    expect((await sites.widgetConfig(site)).online).toBe(false);
    state.onDuty = true;
    expect((await sites.widgetConfig(site)).online).toBe(false);
    sites.forgetOnline();
    expect((await sites.widgetConfig(site)).online).toBe(true);
    state.onDuty = false;
    clock.now += ONLINE_CACHE_MS;
    expect((await sites.widgetConfig(site)).online).toBe(false);
    expect(reads.onDuty).toBe(3);
  });

  it('give each config its own list of departments', async () => {
    const { sites } = sitesOverCountedTables();
    const first = await sites.widgetConfig(site);
    first.departments.push({ id: 'x', name: 'Changed by a caller' });
    expect((await sites.widgetConfig(site)).departments).toEqual([]);
  });
});
