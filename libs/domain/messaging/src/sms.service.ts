import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppException, ErrorType, serviceLogger } from '@appconda/core';

import { MESSAGING_SETTINGS, MessagingSettings } from './messaging.settings';
import { createSmsAdapter, SmsAdapter, SmsBaseUrls, SmsMessage, SmsReceipt } from './sms.providers';

/** Nest token: per-provider API base URLs (tests and proxies); the real hosts otherwise. */
export const SMS_BASE_URLS = Symbol('SMS_BASE_URLS');

const logger = serviceLogger('messaging');

/**
 * Sends text messages through the provider named by `_APP_SMS_PROVIDER`, from `_APP_SMS_FROM`.
 * Provider failures throw SmsDeliveryError so the queue job is retried.
 */
@Injectable()
export class SmsService {
  private adapter?: SmsAdapter;

  constructor(
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
    @Optional() @Inject(SMS_BASE_URLS) private readonly baseUrls: SmsBaseUrls = {},
  ) {}

  get enabled(): boolean {
    return this.settings.sms.provider !== undefined;
  }

  async send(message: SmsMessage): Promise<SmsReceipt> {
    if (!/^\+?\d{4,15}$/.test(message.to.replace(/[\s-]/g, ''))) {
      throw new AppException(ErrorType.GeneralArgumentInvalid, 'The phone number must be in E.164 format (+ and up to 15 digits).');
    }
    const receipt = await this.resolveAdapter().send(message);
    logger.info({ event: 'sms_sent', provider: receipt.provider, id: receipt.id }, 'sms sent');
    return receipt;
  }

  private resolveAdapter(): SmsAdapter {
    const { from, provider } = this.settings.sms;
    if (!provider) throw new AppException(ErrorType.GeneralPhoneDisabled, 'SMS is disabled: set _APP_SMS_PROVIDER to send messages.');
    this.adapter ??= createSmsAdapter(provider, { from, baseUrl: this.baseUrls?.[provider.name] });
    return this.adapter;
  }
}
