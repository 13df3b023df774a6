import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** One HTTP POST of a webhook, fully prepared (headers include the signature). */
export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Basic auth, sent only when both parts are set. */
  httpUser?: string;
  httpPass?: string;
  /** false: the receiver's TLS certificate is not verified (self-signed endpoints). */
  security: boolean;
  /** Whole request budget (connect, send, answer). */
  timeoutMs: number;
}

/** The receiver could not be reached, timed out, or answered outside 2xx: the job fails and Bull retries. */
export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError';

  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** POSTs the webhook and resolves with the receiver's status when it is 2xx; the answer's body is drained and ignored. */
export function sendWebhook(req: WebhookRequest): Promise<number> {
  let target: URL;
  try {
    target = new URL(req.url);
  } catch {
    return Promise.reject(new WebhookDeliveryError(`invalid webhook URL`));
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return Promise.reject(new WebhookDeliveryError(`unsupported webhook URL scheme ${target.protocol}`));
  }
  const headers: Record<string, string | number> = { ...req.headers, 'Content-Length': Buffer.byteLength(req.body) };
  if (req.httpUser && req.httpPass) headers['Authorization'] = `Basic ${Buffer.from(`${req.httpUser}:${req.httpPass}`).toString('base64')}`;
  const options: RequestOptions & { rejectUnauthorized?: boolean } = { method: 'POST', headers, timeout: req.timeoutMs };
  if (target.protocol === 'https:') options.rejectUnauthorized = req.security;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise<number>((resolve, reject) => {
    const deadline = setTimeout(() => outgoing.destroy(new WebhookDeliveryError(`no answer within ${req.timeoutMs} ms`)), req.timeoutMs);
    const outgoing = send(target, options, (res) => {
      res.resume();
      res.on('end', () => {
        clearTimeout(deadline);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(status);
        else reject(new WebhookDeliveryError(`receiver answered ${status}`, status));
      });
      res.on('error', (err) => {
        clearTimeout(deadline);
        reject(new WebhookDeliveryError(`receiver connection failed: ${err.message}`));
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new WebhookDeliveryError(`no answer within ${req.timeoutMs} ms`)));
    outgoing.on('error', (err) => {
      clearTimeout(deadline);
      reject(err instanceof WebhookDeliveryError ? err : new WebhookDeliveryError(`receiver unreachable: ${err.message}`));
    });
    outgoing.end(req.body);
  });
}
