import type { PoolConnection } from 'mariadb';

import { CONSOLE_PROJECT_ID } from '../database.settings';
import { assertProjectId } from './scoped.repository';

/** Project ids checked per statement (bound parameters). */
const CHUNK = 1000;

/**
 * Which of `projectIds` still exist, with a shared lock on their `projects` rows until the transaction
 * of `connection` ends. Rows written for them in that transaction can never outlive their project: a
 * project delete in flight is waited for (and the cascade after it removes the rows), and a delete that
 * came first leaves the id out. `console` has no row of its own and always counts as live.
 */
export async function lockLiveProjects(connection: PoolConnection, projectIds: Iterable<string>): Promise<Set<string>> {
  const ids = [...new Set(projectIds)].map(assertProjectId);
  const live = new Set<string>(ids.filter((id) => id === CONSOLE_PROJECT_ID));
  const others = ids.filter((id) => id !== CONSOLE_PROJECT_ID);
  for (let start = 0; start < others.length; start += CHUNK) {
    const chunk = others.slice(start, start + CHUNK);
    const rows = (await connection.query(
      `SELECT _uid FROM \`projects\` WHERE _project = ? AND _uid IN (${chunk.map(() => '?').join(', ')}) LOCK IN SHARE MODE`,
      [CONSOLE_PROJECT_ID, ...chunk],
    )) as { _uid: string }[];
    for (const row of rows) live.add(row._uid);
  }
  return live;
}
