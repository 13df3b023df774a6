import { readFileSync } from 'node:fs';

/** One mail worker-mails delivered to the run's loopback SMTP server. */
export interface DeliveredMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
}

function read(): DeliveredMail[] {
  const file = process.env.APPCONDA_E2E_MAILBOX;
  if (!file) throw new Error('APPCONDA_E2E_MAILBOX is not set: run through apps/api-e2e/jest.config.cjs');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DeliveredMail);
}

/** Waits until a mail to `recipient` (matching `filter`) has been delivered, and returns it. */
export async function waitForMail(recipient: string, filter: (mail: DeliveredMail) => boolean = () => true, timeoutMs = 15000): Promise<DeliveredMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = read().find((m) => m.to.includes(recipient.toLowerCase()) && filter(m));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail to ${recipient} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The first link in a mail's text whose URL starts with `prefix`, as a URL. */
export function linkIn(mail: DeliveredMail, prefix: string): URL {
  const found = (mail.text.match(/https?:\/\/[^\s<>"]+/g) ?? []).find((url) => url.startsWith(prefix));
  if (!found) throw new Error(`no link starting with ${prefix} in mail "${mail.subject}"`);
  return new URL(found);
}
