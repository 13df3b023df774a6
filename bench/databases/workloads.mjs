// The workloads: one question asked of every target in its own dialect. Appconda gets Appwrite 1.3
// REST calls, Parse Server its REST API (what a Parse user sends for the same need), the floor its
// plain routes. Every list on Appconda answers `total` (a 1.3 list always counts), so the floor's
// lists count too; Parse counts only where the workload asks for a total.
import { BOOK_COUNT, bookIdOf, idOf, LIST_LIMIT, PRIVATE_COUNT, rankOf, trashIdOf } from './data.mjs';

const q = encodeURIComponent;
const queries = (...list) => list.map((s) => `queries[]=${q(s)}`).join('&');
const where = (w) => `where=${q(JSON.stringify(w))}`;

/**
 * label, and per target a function (ctx, rnd) -> { method, path, body?, headers? }. `ctx` holds the
 * target's ids and credentials and `count` (seeded documents); `rnd(n)` is a random integer below n;
 * `next()` a counter shared by the load process (delete ids).
 */
export const WORKLOADS = {
  get: {
    label: 'get by id',
    appconda: (c, rnd) => ({ path: `${c.docs}/${idOf(rnd(c.count))}` }),
    floor: (c, rnd) => ({ path: `/documents/${idOf(rnd(c.count))}` }),
    parse: (c, rnd) => ({ path: `/parse/classes/Document/${idOf(rnd(c.count))}` }),
  },
  listAsc: {
    label: 'list 25, range, asc',
    appconda: (c, rnd) => ({ path: `${c.docs}?${queries(`greaterThan("rank", [${rnd(c.count)}])`, 'orderAsc("rank")', `limit(${LIST_LIMIT})`)}` }),
    floor: (c, rnd) => ({ path: `/documents?gt=${rnd(c.count)}&order=asc` }),
    parse: (c, rnd) => ({ path: `/parse/classes/Document?${where({ rank: { $gt: rnd(c.count) } })}&order=rank&limit=${LIST_LIMIT}` }),
  },
  listDesc: {
    label: 'list 25, range, desc',
    appconda: (c, rnd) => ({ path: `${c.docs}?${queries(`lessThan("rank", [${rnd(c.count)}])`, 'orderDesc("rank")', `limit(${LIST_LIMIT})`)}` }),
    floor: (c, rnd) => ({ path: `/documents?lt=${rnd(c.count)}&order=desc` }),
    parse: (c, rnd) => ({ path: `/parse/classes/Document?${where({ rank: { $lt: rnd(c.count) } })}&order=-rank&limit=${LIST_LIMIT}` }),
  },
  listDescTotal: {
    label: 'list 25, range, desc + total',
    appconda: (c, rnd) => WORKLOADS.listDesc.appconda(c, rnd),
    floor: (c, rnd) => WORKLOADS.listDesc.floor(c, rnd),
    parse: (c, rnd) => ({ path: `${WORKLOADS.listDesc.parse(c, rnd).path}&count=1` }),
  },
  listEqual: {
    label: 'list 25, equal, desc',
    appconda: (c, rnd) => ({ path: `${c.docs}?${queries(`equal("tag", ["tag${rnd(50)}"])`, 'orderDesc("rank")', `limit(${LIST_LIMIT})`)}` }),
    floor: (c, rnd) => ({ path: `/documents?tag=tag${rnd(50)}&order=desc` }),
    parse: (c, rnd) => ({ path: `/parse/classes/Document?${where({ tag: `tag${rnd(50)}` })}&order=-rank&limit=${LIST_LIMIT}` }),
  },
  listTwoOrders: {
    label: 'list 25, range, 2 orders',
    appconda: (c, rnd) => ({
      path: `${c.docs}?${queries(`greaterThan("rank", [${rnd(c.count)}])`, 'orderAsc("tag")', 'orderDesc("rank")', `limit(${LIST_LIMIT})`)}`,
    }),
    floor: (c, rnd) => ({ path: `/documents?gt=${rnd(c.count)}&order=tag` }),
    parse: (c, rnd) => ({ path: `/parse/classes/Document?${where({ rank: { $gt: rnd(c.count) } })}&order=tag,-rank&limit=${LIST_LIMIT}` }),
  },
  search: {
    label: 'full-text search',
    // Titles are "Document number <i>": a 4-digit number is one word of one title.
    appconda: (c, rnd) => ({ path: `${c.docs}?${queries(`search("title", ["${1000 + rnd(c.count - 1000)}"])`, `limit(${LIST_LIMIT})`)}` }),
    floor: (c, rnd) => ({ path: `/documents?search=${1000 + rnd(c.count - 1000)}` }),
    parse: (c, rnd) => ({ path: `/parse/classes/Document?${where({ title: { $text: { $search: { $term: String(1000 + rnd(c.count - 1000)) } } } })}&limit=${LIST_LIMIT}` }),
  },
  select: {
    label: 'list 25 + select 2',
    appconda: (c, rnd) => ({
      path: `${c.docs}?${queries(`greaterThan("rank", [${rnd(c.count)}])`, 'orderAsc("rank")', 'select(["title", "rank"])', `limit(${LIST_LIMIT})`)}`,
    }),
    floor: (c, rnd) => ({ path: `/documents?gt=${rnd(c.count)}&order=asc&select=1` }),
    parse: (c, rnd) => ({ path: `/parse/classes/Document?${where({ rank: { $gt: rnd(c.count) } })}&order=rank&keys=title,rank&limit=${LIST_LIMIT}` }),
  },
  offset: {
    label: 'list 25, offset 40-50% deep',
    appconda: (c, rnd) => ({ path: `${c.docs}?${queries('orderAsc("rank")', `offset(${deep(c, rnd)})`, `limit(${LIST_LIMIT})`)}` }),
    floor: (c, rnd) => ({ path: `/documents?offset=${deep(c, rnd)}` }),
    parse: (c, rnd) => ({ path: `/parse/classes/Document?order=rank&skip=${deep(c, rnd)}&limit=${LIST_LIMIT}` }),
  },
  cursor: {
    label: 'cursor page',
    appconda: (c, rnd) => ({ path: `${c.docs}?${queries('orderAsc("rank")', `cursorAfter("${idOf(rnd(c.count))}")`, `limit(${LIST_LIMIT})`)}` }),
    floor: (c, rnd) => ({ path: `/documents?after=${idOf(rnd(c.count))}` }),
    // Parse has no cursors: its users page on the last value they hold.
    parse: (c, rnd) => ({ path: `/parse/classes/Document?${where({ rank: { $gt: rankOf(rnd(c.count), c.count) } })}&order=rank&limit=${LIST_LIMIT}` }),
  },
  docsec: {
    label: 'list 25, per-doc perms, session',
    appconda: (c, rnd) => ({
      path: `${c.privateDocs}?${queries(`greaterThan("rank", [${rnd(PRIVATE_COUNT)}])`, 'orderAsc("rank")', `limit(${LIST_LIMIT})`)}`,
      headers: c.sessionHeaders,
    }),
    floor: (c, rnd) => ({ path: `/private?gt=${rnd(PRIVATE_COUNT)}&user=${c.readerId}` }),
    parse: (c, rnd) => ({
      path: `/parse/classes/Private?${where({ rank: { $gt: rnd(PRIVATE_COUNT) } })}&order=rank&limit=${LIST_LIMIT}`,
      headers: c.sessionHeaders,
    }),
  },
  create: {
    label: 'create',
    appconda: (c, rnd, next) => ({ method: 'POST', path: c.docs, body: { documentId: 'unique()', data: created(c, rnd, next) } }),
    floor: (c, rnd, next) => ({ method: 'POST', path: '/documents', body: { documentId: 'unique()', data: created(c, rnd, next) } }),
    parse: (c, rnd, next) => ({ method: 'POST', path: '/parse/classes/Document', body: created(c, rnd, next) }),
  },
  update: {
    label: 'update 1 field',
    appconda: (c, rnd) => ({ method: 'PATCH', path: `${c.docs}/${idOf(rnd(c.count))}`, body: { data: { title: `Updated ${rnd(1e9)}` } } }),
    floor: (c, rnd) => ({ method: 'PATCH', path: `/documents/${idOf(rnd(c.count))}`, body: { data: { title: `Updated ${rnd(1e9)}` } } }),
    parse: (c, rnd) => ({ method: 'PUT', path: `/parse/classes/Document/${idOf(rnd(c.count))}`, body: { title: `Updated ${rnd(1e9)}` } }),
  },
  delete: {
    label: 'delete',
    appconda: (c, rnd, next) => ({ method: 'DELETE', path: `${c.trashDocs}/${trashIdOf(c.deleteFrom + next())}` }),
    floor: (c, rnd, next) => ({ method: 'DELETE', path: `/trash/${trashIdOf(c.deleteFrom + next())}` }),
    parse: (c, rnd, next) => ({ method: 'DELETE', path: `/parse/classes/Trash/${trashIdOf(c.deleteFrom + next())}` }),
  },
  relation: {
    label: 'get with relationship',
    appconda: (c, rnd) => ({ path: `${c.books}/${bookIdOf(rnd(BOOK_COUNT))}` }),
    floor: (c, rnd) => ({ path: `/books/${bookIdOf(rnd(BOOK_COUNT))}` }),
    parse: (c, rnd) => ({ path: `/parse/classes/Book/${bookIdOf(rnd(BOOK_COUNT))}?include=author` }),
  },
};

/** An offset 40% to 50% into the set (4000-5000 of 10 000). */
const deep = (c, rnd) => Math.floor(c.count * 0.4) + rnd(Math.floor(c.count * 0.1));

function created(c, rnd, next) {
  const n = next();
  return { title: `Created ${n}`, rank: rnd(c.count), tag: `tag${n % 50}` };
}

export const WORKLOAD_NAMES = Object.keys(WORKLOADS);
/** Workloads that remove what they touch: each request of a round needs an id of its own. */
export const CONSUMING = new Set(['delete']);
