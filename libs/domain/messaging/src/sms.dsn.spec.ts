import { parseSmsDsn, SmsProviderName } from './sms.dsn';

describe('parseSmsDsn', () => {
  it.each([
    ['sms://AC123:tok@twilio', SmsProviderName.Twilio],
    ['sms://user:key@textmagic', SmsProviderName.Textmagic],
    ['sms://user:key@text-magic', SmsProviderName.Textmagic],
    ['sms://cust:key@telesign', SmsProviderName.Telesign],
    ['sms://SENDER:auth@msg91', SmsProviderName.Msg91],
    ['sms://key:secret@vonage', SmsProviderName.Vonage],
    ['sms://key:secret@nexmo', SmsProviderName.Vonage],
    ['sms://key:secret@Vonage/', SmsProviderName.Vonage],
  ])('%s → %s', (dsn, provider) => {
    expect(parseSmsDsn(dsn).provider).toBe(provider);
  });

  it('reads user and secret', () => {
    expect(parseSmsDsn('sms://AC123:tok@twilio')).toEqual({ provider: 'twilio', user: 'AC123', secret: 'tok', params: {} });
  });

  it('keeps raw special characters in the secret and decodes percent-encoding', () => {
    expect(parseSmsDsn('sms://us%40er:p:a@s/s#x@twilio').secret).toBe('p:a@s/s#x');
    expect(parseSmsDsn('sms://us%40er:p%2Fq@twilio').user).toBe('us@er');
    expect(parseSmsDsn('sms://us%40er:p%2Fq@twilio').secret).toBe('p/q');
  });

  it('reads query parameters', () => {
    expect(parseSmsDsn('sms://s:k@msg91?template_id=T1').params).toEqual({ template_id: 'T1' });
  });

  it('treats an empty DSN as phone disabled', () => {
    expect(() => parseSmsDsn('  ')).toThrow(expect.objectContaining({ type: 'general_phone_disabled', code: 503 }));
  });

  it.each(['twilio', 'sms://a:b@carrier-pigeon', 'sms://@twilio', 'sms://onlyuser@twilio', 'sms://:secret@twilio'])('refuses %p', (dsn) => {
    expect(() => parseSmsDsn(dsn)).toThrow(expect.objectContaining({ type: 'general_phone_disabled' }));
  });
});
