import { ApiModule } from '../../../api/src/api.module';
import { fuzzableRoutes, routeCatalogue, runFuzz } from '@appconda/testing';
import { endpoint } from '../../support/console';

/**
 * The bounded fuzz run of issue 16: every route of the api app (from the @Route declarations and DTOs)
 * gets generated hostile path params, query params, `queries[]`, bodies, content types and auth mixes
 * (fast-check, fixed seed) against `appconda all`. The long run is bench/fuzz/run.mjs.
 */
const SEED = Number(process.env.APPCONDA_FUZZ_SEED ?? 20230816);

describe('fuzzing every route (bounded)', () => {
  it('never crashes, never answers an unexpected 5xx, always answers errors in the Appwrite shape', async () => {
    const routes = fuzzableRoutes(routeCatalogue(ApiModule));
    const report = await runFuzz({ endpoint: endpoint(), routes, seed: SEED, maxRequests: Number(process.env.APPCONDA_FUZZ_REQUESTS ?? 8_000), maxDurationMs: 75_000, concurrency: 6, perRound: 4 });
    const pid = Number(process.env.APPCONDA_E2E_PID);
    const alive = (() => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    })();
    // A readable summary when something is found.
    if (report.findings.length) console.log(JSON.stringify({ ...report, findings: report.findings.slice(0, 40) }, null, 1));
    expect(alive).toBe(true);
    expect(report.serverUp).toBe(true);
    expect(report.routesCovered).toBe(routes.length);
    expect(report.requests).toBeGreaterThanOrEqual(routes.length * 4);
    expect({ unexpected5xx: report.unexpected5xx, badShapes: report.badShapes, noAnswer: report.noAnswer }).toEqual({ unexpected5xx: 0, badShapes: 0, noAnswer: 0 });
  }, 180_000);
});
