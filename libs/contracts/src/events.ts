/**
 * Appwrite 1.3 events: the tree of valid event names and the expansion of a route's event template
 * into the names actually fired (webhooks, functions and realtime all match against that list).
 */

/** One resource of the event tree; every resource segment is followed by an ID (or `*`) in a name. */
export interface EventResource {
  /** Response model of the event payload (Appwrite model name). */
  readonly model: string;
  /** Actions on the resource; each lists the attribute names that may follow it (`update.email`). */
  readonly actions: Readonly<Record<string, readonly string[]>>;
  /** Nested resources (`users.[userId].sessions.[sessionId]`). */
  readonly children?: Readonly<Record<string, EventResource>>;
}

const CRUD = { create: [], delete: [], update: [] } as const;

/** The 1.3 event tree (same names as Appwrite's `events.json`). */
export const EVENT_TREE: Readonly<Record<string, EventResource>> = {
  users: {
    model: 'user',
    actions: { create: [], delete: [], update: ['email', 'name', 'password', 'status', 'prefs'] },
    children: {
      sessions: { model: 'session', actions: { create: [], delete: [] } },
      recovery: { model: 'token', actions: { create: [], update: [] } },
      verification: { model: 'token', actions: { create: [], update: [] } },
    },
  },
  databases: {
    model: 'database',
    actions: CRUD,
    children: {
      collections: {
        model: 'collection',
        actions: CRUD,
        children: {
          documents: { model: 'document', actions: CRUD },
          indexes: { model: 'index', actions: { create: [], delete: [] } },
          attributes: { model: 'attribute', actions: { create: [], delete: [] } },
        },
      },
    },
  },
  buckets: {
    model: 'bucket',
    actions: CRUD,
    children: { files: { model: 'file', actions: CRUD } },
  },
  teams: {
    model: 'team',
    actions: { create: [], delete: [], update: ['prefs'] },
    children: { memberships: { model: 'membership', actions: { create: [], delete: [], update: ['status'] } } },
  },
  functions: {
    model: 'function',
    actions: CRUD,
    children: {
      deployments: { model: 'deployment', actions: CRUD },
      executions: { model: 'execution', actions: CRUD },
    },
  },
};

const hasOwn = (record: object | undefined, key: string): boolean => record !== undefined && Object.prototype.hasOwnProperty.call(record, key);

/**
 * True when `name` is an event a webhook or function may subscribe to: it follows the tree
 * (resource, ID or `*`, nested resource, …, optional action, optional action attribute).
 * Like Appwrite 1.3, a name may also stop at a resource (`users.*`) or at a nested resource's
 * name without its ID (`users.*.sessions`); IDs themselves are not checked.
 */
export function isValidEvent(name: string): boolean {
  if (typeof name !== 'string') return false;
  const parts = name.split('.');
  if (parts.length < 2 || parts.some((part) => part === '')) return false;
  if (!hasOwn(EVENT_TREE, parts[0])) return false;
  let node = EVENT_TREE[parts[0]];
  // parts[i] is the ID segment of `node`.
  for (let i = 1; ; i += 2) {
    if (i === parts.length - 1) return true;
    const next = parts[i + 1];
    if (node.children && hasOwn(node.children, next)) {
      node = node.children[next];
      if (i + 2 >= parts.length) return true;
      continue;
    }
    if (!hasOwn(node.actions, next)) return false;
    const rest = parts.slice(i + 2);
    return rest.length === 0 || (rest.length === 1 && node.actions[next].includes(rest[0]));
  }
}

interface ParsedTemplate {
  /** Resource segments with their placeholder, outermost first: [['users', '[userId]'], …]. */
  levels: [string, string][];
  action?: string;
  attribute?: string;
}

// Mirrors Appwrite's Event::parseEventPattern: up to three resource levels, then action and attribute.
function parseTemplate(template: string): ParsedTemplate {
  const parts = template.split('.');
  const isPlaceholder = (index: number) => parts.length > index && parts[index].startsWith('[');
  const depth = isPlaceholder(3) ? (isPlaceholder(5) ? 3 : 2) : 1;
  const levels: [string, string][] = [];
  for (let level = 0; level < depth; level++) levels.push([parts[level * 2], parts[level * 2 + 1]]);
  const tail = parts.slice(depth * 2);
  return { levels, action: tail[0], attribute: tail[1] };
}

/**
 * Expands an event template (`users.[userId].sessions.[sessionId].create`) with the route's params
 * into every name Appwrite 1.3 fires, in Appwrite's order (Event::generateEvents): for the full name,
 * the name without its action, and each parent resource, every mix of concrete IDs and `*`.
 * Params must be given in the order the route sets them (outermost resource first).
 * @throws Error when a placeholder of the template has no param.
 */
export function buildEvents(template: string, params: Readonly<Record<string, string>>): string[] {
  const keys = Object.keys(params);
  const signature = `${template}|${keys.join(',')}`;
  let compiled = COMPILED.get(signature);
  if (!compiled) {
    compiled = compileEvents(template, keys);
    if (COMPILED.size > 1000) COMPILED.clear();
    COMPILED.set(signature, compiled);
  }
  const events = new Set<string>();
  for (const segments of compiled) {
    let name = '';
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      name += (i ? '.' : '') + (typeof segment === 'string' ? segment : params[segment.param]);
    }
    events.add(name);
  }
  return [...events];
}

/** A name to render: literal segments, and the params whose values fill the others. */
type CompiledSegment = string | { param: string };

/** Routes fire the same templates with the same param names again and again: expand each shape once. */
const COMPILED = new Map<string, CompiledSegment[][]>();

function compileEvents(template: string, keys: string[]): CompiledSegment[][] {
  const { levels, action, attribute } = parseTemplate(template);
  for (const [, placeholder] of levels) {
    const key = placeholder.replace(/^\[|\]$/g, '');
    if (!keys.includes(key)) throw new Error(`Event template ${template} needs the param ${key}`);
  }

  const flat = (count: number) => levels.slice(0, count).flat();
  const patterns: string[][] = [];
  if (action) {
    if (levels.length > 1) {
      if (attribute) patterns.push([...flat(levels.length), action, attribute]);
      patterns.push([...flat(levels.length), action], flat(levels.length));
    } else {
      patterns.push([...flat(1), action]);
    }
    // Appwrite adds `<type>.<id>.<action>.<attribute>` even for nested templates (teams.*.update.status
    // for a membership status change); kept so subscribers see the same list.
    if (attribute) patterns.push([...flat(1), action, attribute]);
  }
  if (levels.length > 2) patterns.push(flat(3));
  if (levels.length > 1) patterns.push(flat(2));
  patterns.push(flat(1));

  // The wildcard orders repeat many combinations: keep each distinct shape once, at its first place.
  const compiled: CompiledSegment[][] = [];
  const seen = new Set<string>();
  const shapes = new Set<string>();
  for (const pattern of patterns) {
    const id = pattern.join('.');
    if (seen.has(id)) continue;
    seen.add(id);
    for (const starred of wildcardOrder(keys, levels.length > 2)) {
      const name = compileName(pattern, keys, starred);
      const shape = name.map((segment) => (typeof segment === 'string' ? segment : `[${segment.param}]`)).join('.');
      if (shapes.has(shape)) continue;
      shapes.add(shape);
      compiled.push(name);
    }
  }
  return compiled;
}

/** Which params become `*`, in the order Appwrite's nested loops visit them. */
function wildcardOrder(keys: string[], threeLevels: boolean): string[][] {
  const order: string[][] = [[], keys];
  for (const key of keys) {
    for (const current of keys) {
      if (threeLevels) {
        for (const inner of keys) {
          if (inner === current || inner === key) continue;
          order.push([inner], [inner, current], [current]);
        }
      } else if (current !== key) {
        order.push([current]);
      }
    }
  }
  return order;
}

function compileName(pattern: string[], keys: readonly string[], starred: string[]): CompiledSegment[] {
  return pattern.map((segment) => {
    if (!segment.startsWith('[')) return segment;
    const key = segment.slice(1, -1);
    if (!keys.includes(key)) return key;
    return starred.includes(key) ? '*' : { param: key };
  });
}
