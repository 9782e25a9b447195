import type { Department } from '@switchboard/protocol';
import { prepareQuery } from '../../store/preparedQuery.js';
import type { ServiceDb } from './schema.js';
import { affected } from './util.js';

export interface DepartmentRepository {
  list(): Promise<Department[]>;
  find(id: string): Promise<Department | undefined>;
  findByName(name: string): Promise<Department | undefined>;
  create(department: Department, now: number): Promise<void>;
  rename(id: string, name: string): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  existing(ids: readonly string[]): Promise<string[]>;
}

export function createDepartmentRepository(db: ServiceDb): DepartmentRepository {
  return {
    list: prepareQuery(db, 0, () => db.selectFrom('cs_departments').select(['id', 'name']).orderBy('name')),
    async find(id) {
      return db.selectFrom('cs_departments').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
    },
    async findByName(name) {
      return db.selectFrom('cs_departments').select(['id', 'name']).where('name', '=', name).executeTakeFirst();
    },
    async create(department, now) {
      await db.insertInto('cs_departments').values({ id: department.id, name: department.name, created_at: now }).execute();
    },
    async rename(id, name) {
      return affected(await db.updateTable('cs_departments').set({ name }).where('id', '=', id).executeTakeFirst()) > 0;
    },
    async delete(id) {
      return db.transaction().execute(async (trx) => {
        // Chats of the department fall back to routing among all agents.
        await trx.updateTable('cs_chats').set({ department_id: null }).where('department_id', '=', id).execute();
        await trx.updateTable('cs_offline_messages').set({ department_id: null }).where('department_id', '=', id).execute();
        return affected(await trx.deleteFrom('cs_departments').where('id', '=', id).executeTakeFirst()) > 0;
      });
    },
    async existing(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('cs_departments').select('id').where('id', 'in', [...ids]).execute();
      const found = new Set(rows.map((row) => row.id));
      return ids.filter((id) => found.has(id));
    },
  };
}
