/**
 * Appwrite 1.3 still serves the pre-1.0 single-database routes as aliases of database `default`
 * (ENDPOINTS.md, "Route aliases"): `/v1/database/collections…` and `/v1/database/:collectionId/usage`.
 * They are rewritten before routing, so every alias reaches the one real route with its declaration.
 */
const ALIASES: readonly [RegExp, string][] = [
  [/^\/v1\/database\/collections(?=[/?]|$)/, '/v1/databases/default/collections'],
  [/^\/v1\/database\/([^/?]+)\/usage(?=[?]|$)/, '/v1/databases/default/collections/$1/usage'],
];

export function rewriteLegacyUrl(url: string): string {
  if (!url.startsWith('/v1/database/')) return url;
  for (const [pattern, replacement] of ALIASES) if (pattern.test(url)) return url.replace(pattern, replacement);
  return url;
}
