import { Injectable } from '@nestjs/common';
import { MailJob, QueueName } from '@appconda/contracts';
import { InvalidJobError, JobHandler } from '@appconda/queue';

import { MailReceipt, MailService, TemplateMail } from './mail.service';
import { MailTemplate } from './mail.translations';

const TEMPLATES = new Set<string>(Object.values(MailTemplate));

function pick(variables: Record<string, string>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = variables[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * Reads a mails job into a template mail. Accepts Appwrite's locale keys (`emails.recovery`) or the
 * bare names, and Appwrite's variable names (`redirect`, `owner`) next to ours (`link`, `inviter`).
 * @throws InvalidJobError when the job names no known template or carries no link (a retry cannot help).
 */
export function toTemplateMail(job: MailJob): TemplateMail {
  const template = job.template.replace(/^emails\./, '');
  if (!TEMPLATES.has(template)) throw new InvalidJobError(`unknown mail template "${job.template}"`);
  const variables = job.variables ?? {};
  const link = pick(variables, 'link', 'redirect', 'url');
  if (!link) throw new InvalidJobError('mail job carries no action link (variables.link or variables.redirect)');
  return {
    to: { email: job.recipient, name: job.name || undefined },
    template: template as MailTemplate,
    locale: job.locale || undefined,
    variables: {
      link,
      project: pick(variables, 'project') ?? '',
      user: pick(variables, 'user', 'name') ?? job.name,
      team: pick(variables, 'team'),
      inviter: pick(variables, 'inviter', 'owner'),
      domain: pick(variables, 'domain'),
      attempt: pick(variables, 'attempt'),
      error: pick(variables, 'error'),
    },
  };
}

/** worker-mails: renders and sends one auth mail per job. Errors propagate so Bull retries. */
@Injectable()
export class MailsJobHandler implements JobHandler<QueueName.Mails> {
  constructor(private readonly mail: MailService) {}

  handle(payload: MailJob): Promise<MailReceipt> {
    return this.mail.sendTemplate(toTemplateMail(payload));
  }
}
