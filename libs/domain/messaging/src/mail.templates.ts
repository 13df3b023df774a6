import { AppException, ErrorType } from '@appconda/core';

import { DEFAULT_MAIL_LOCALE, MAIL_TRANSLATIONS, MailLocaleText, MailTemplate } from './mail.translations';

/** What a template mail needs besides its recipient. */
export interface MailTemplateVariables {
  /** The action link (verification, recovery, magic URL or invitation acceptance URL). */
  link: string;
  project: string;
  /** Recipient's name; may be empty. */
  user?: string;
  /** Invitations only. */
  team?: string;
  /** Invitations only: who sent it; empty when it was sent with an API key. */
  inviter?: string;
  /** Certificate mail only: the domain, the failed attempt's number and the CA's error. */
  domain?: string;
  attempt?: string;
  error?: string;
}

export interface RenderedMail {
  locale: string;
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

/**
 * Picks the translation for a locale code: exact match (case-insensitive, `_` read as `-`), then the
 * same language (`de-AT` → `de`, `pt` → `pt-br`), then `fallback` (the server's `_APP_LOCALE`), then en.
 */
export function resolveMailLocale(code: string | undefined, fallback?: string): string {
  for (const candidate of [code, fallback]) {
    const normalized = (candidate ?? '').trim().toLowerCase().replace(/_/g, '-');
    if (!normalized) continue;
    if (MAIL_TRANSLATIONS[normalized]) return normalized;
    const language = normalized.split('-')[0];
    const sameLanguage = Object.keys(MAIL_TRANSLATIONS).find((key) => key === language || key.startsWith(`${language}-`));
    if (sameLanguage) return sameLanguage;
  }
  return DEFAULT_MAIL_LOCALE;
}

function interpolate(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? values[key] : whole));
}

function greeting(locale: MailLocaleText, user: string): string {
  return user ? interpolate(locale.greeting, { user }) : locale.greeting.replace(/ ?\{user\}/, '');
}

/** Only http(s) links go into a mail; anything else (javascript:, data:) is refused. */
function checkedLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new AppException(ErrorType.GeneralArgumentInvalid, 'The mail action link is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppException(ErrorType.GeneralArgumentInvalid, 'The mail action link must use http or https.');
  }
  return link;
}

/**
 * Renders one auth mail in the requested locale: subject, plain-text body and HTML body. Every
 * interpolated value is HTML-escaped in the HTML body; the plain-text body carries the link verbatim.
 */
export function renderMail(template: MailTemplate, variables: MailTemplateVariables, localeCode?: string, fallbackLocale?: string): RenderedMail {
  const locale = resolveMailLocale(localeCode, fallbackLocale);
  const texts = MAIL_TRANSLATIONS[locale];
  const strings = texts.templates[template];
  if (!strings) throw new AppException(ErrorType.GeneralArgumentInvalid, `Unknown mail template "${template}".`);
  const link = checkedLink(variables.link);
  const values = {
    project: variables.project,
    user: variables.user ?? '',
    team: variables.team ?? '',
    inviter: variables.inviter || texts.someone,
    domain: variables.domain ?? '',
    attempt: variables.attempt ?? '',
    error: variables.error ?? '',
  };
  // Subjects are header values: no line breaks from user-provided names.
  const subject = interpolate(strings.subject, values).replace(/[\r\n]+/g, ' ');
  const parts = {
    greeting: greeting(texts, values.user),
    intro: interpolate(strings.intro, values),
    action: interpolate(strings.action, values),
    linkHint: texts.linkHint,
    outro: interpolate(strings.outro, values),
    signature: interpolate(texts.signature, values),
  };
  const text = [parts.greeting, parts.intro, `${parts.action}: ${link}`, parts.outro, parts.signature].join('\n\n') + '\n';
  return { locale, subject, text, html: htmlBody(locale, subject, parts, link) };
}

function htmlBody(locale: string, subject: string, parts: Record<'greeting' | 'intro' | 'action' | 'linkHint' | 'outro' | 'signature', string>, link: string): string {
  const e = escapeHtml;
  const href = e(link);
  return [
    '<!doctype html>',
    `<html lang="${e(locale)}">`,
    `<head><meta charset="utf-8"><title>${e(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933;">',
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px;">',
    `<p>${e(parts.greeting)}</p>`,
    `<p>${e(parts.intro)}</p>`,
    `<p style="margin:32px 0;"><a href="${href}" style="background:#2d6cdf;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;">${e(parts.action)}</a></p>`,
    `<p style="font-size:13px;color:#52606d;">${e(parts.linkHint)}<br><a href="${href}">${href}</a></p>`,
    `<p>${e(parts.outro)}</p>`,
    `<p>${e(parts.signature)}</p>`,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
