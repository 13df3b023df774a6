/**
 * Where the request pipeline reports usage. The API counts in memory and hands batches to the usage
 * service; nothing here may block or fail a request.
 */
export interface UsageRecorder {
  /** One API request of a project, with its body sizes in bytes (Appwrite's `requests` and `network`). */
  request(projectId: string, inbound: number, outbound: number): void;
  /** A successful route's declared metric, its label templates already filled; `value` defaults to 1 (a count). */
  metric(projectId: string, metric: string, labels: Record<string, string>, value?: number): void;
}

export const USAGE_RECORDER = Symbol('USAGE_RECORDER');
