import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppException, ErrorType, lazyRequire, serviceLogger } from '@appconda/core';
import type * as Nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

import { MailTemplateVariables, renderMail } from './mail.templates';
import { MailTemplate } from './mail.translations';
import { MESSAGING_SETTINGS, MessagingSettings } from './messaging.settings';

/** nodemailer is loaded by the first mail sent, not by each thread that wires this service. */
const nodemailer = lazyRequire<typeof Nodemailer>('nodemailer');

export interface MailRecipient {
  email: string;
  name?: string;
}

/** A ready mail: what the SMTP server receives. */
export interface OutgoingMail {
  to: MailRecipient;
  subject: string;
  text: string;
  html: string;
}

/** One of the four auth mails, rendered here in the recipient's locale. */
export interface TemplateMail {
  to: MailRecipient;
  template: MailTemplate;
  variables: MailTemplateVariables;
  /** `X-Appwrite-Locale` of the request that triggered the mail; `_APP_LOCALE` when absent. */
  locale?: string;
}

export interface MailReceipt {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

const logger = serviceLogger('messaging');

/**
 * Sends mail through the SMTP server configured by `_APP_SMTP_*`, as `_APP_SYSTEM_EMAIL_NAME`
 * <`_APP_SYSTEM_EMAIL_ADDRESS`>. Failures propagate so a queue job is retried.
 */
@Injectable()
export class MailService implements OnModuleDestroy {
  private transporter?: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(@Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings) {}

  get enabled(): boolean {
    return this.settings.smtp.host !== '';
  }

  /** Renders an auth mail in the job's locale (else `_APP_LOCALE`, else en) and sends it. */
  async sendTemplate(mail: TemplateMail): Promise<MailReceipt> {
    this.assertEnabled();
    const rendered = renderMail(mail.template, mail.variables, mail.locale, this.settings.locale);
    return this.send({ to: mail.to, subject: rendered.subject, text: rendered.text, html: rendered.html });
  }

  async send(mail: OutgoingMail): Promise<MailReceipt> {
    this.assertEnabled();
    const { sender } = this.settings;
    const info = await this.transport().sendMail({
      from: { name: sender.name, address: sender.address },
      to: mail.to.name ? { name: mail.to.name, address: mail.to.email } : mail.to.email,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
    const receipt = { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
    if (receipt.accepted.length === 0) throw new Error(`SMTP server accepted no recipient (rejected: ${receipt.rejected.join(', ')})`);
    logger.info({ event: 'mail_sent', messageId: receipt.messageId }, 'mail sent');
    return receipt;
  }

  onModuleDestroy(): void {
    this.transporter?.close();
    this.transporter = undefined;
  }

  private assertEnabled(): void {
    // Appwrite 1.3: an empty _APP_SMTP_HOST switches mail off.
    if (!this.enabled) throw new AppException(ErrorType.GeneralSmtpDisabled, 'SMTP is disabled: set _APP_SMTP_HOST to send mail.');
  }

  private transport(): Transporter<SMTPTransport.SentMessageInfo> {
    const { smtp } = this.settings;
    this.transporter ??= nodemailer().createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure === 'ssl',
      requireTLS: smtp.secure === 'tls',
      // Appwrite turns PHPMailer's automatic STARTTLS off unless _APP_SMTP_SECURE asks for it.
      ignoreTLS: smtp.secure === '',
      auth: smtp.username ? { user: smtp.username, pass: smtp.password } : undefined,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
    return this.transporter;
  }
}
