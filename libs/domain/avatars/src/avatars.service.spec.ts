import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import jsQR from 'jsqr';
import sharp from 'sharp';

import { avatarAsset, avatarCodes, AvatarSet } from './avatars.assets';
import { initialsOf } from './avatars.initials';
import { avatarsOptionsFromEnv } from './avatars.options';
import { AvatarsService } from './avatars.service';
import { chooseFavicon } from './favicon.parser';
import { isAddressAllowed } from './remote-fetch';

const reference = resolve(__dirname, '../../../../../shared/appwrite-1.3/avatars');
const withReference = existsSync(reference) ? it : it.skip;

async function decode(body: Buffer) {
  return sharp(body).metadata();
}

async function readQr(body: Buffer): Promise<string | undefined> {
  const { data, info } = await sharp(body).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data;
}

describe('AvatarsService', () => {
  const sut = new AvatarsService(avatarsOptionsFromEnv({}));

  it.each([
    [AvatarSet.Browsers, 'ch'],
    [AvatarSet.CreditCards, 'visa'],
    [AvatarSet.CreditCards, 'naranja'],
    [AvatarSet.Flags, 'de'],
    [AvatarSet.Flags, 'US'],
  ])('draws %s/%s as a 100×100 PNG by default', async (set, code) => {
    const image = await sut.getIcon(set, code, {});
    expect(image.contentType).toBe('image/png');
    expect(await decode(image.body)).toMatchObject({ format: 'png', width: 100, height: 100 });
  });

  it('crops to the asked size and derives a zero side from the aspect ratio', async () => {
    expect(await decode((await sut.getIcon(AvatarSet.Flags, 'fr', { width: '300', height: '50' })).body)).toMatchObject({ width: 300, height: 50 });
    expect(await decode((await sut.getIcon(AvatarSet.Flags, 'fr', { width: '300', height: '0' })).body)).toMatchObject({ width: 300, height: 200 });
    expect(await decode((await sut.getIcon(AvatarSet.Flags, 'fr', { width: '0', height: '0' })).body)).toMatchObject({ width: 513, height: 342 });
    expect(await decode((await sut.getIcon(AvatarSet.Browsers, 'ff', { width: '2000', height: '2000', quality: '0' })).body)).toMatchObject({ width: 2000, height: 2000 });
  });

  it('draws the flag in its colours', async () => {
    const { data } = await sharp((await sut.getIcon(AvatarSet.Flags, 'de', { width: '30', height: '30' })).body).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const [r, g, b] = data.subarray(0, 3);
    expect(r + g + b).toBeLessThan(60); // Germany's top band is black
  });

  it('refuses a code outside the set’s 1.3 whitelist (before the sizes) and out-of-range params', async () => {
    for (const [set, code] of [[AvatarSet.Flags, 'zz'], [AvatarSet.Flags, 'eu'], [AvatarSet.Browsers, 'xx'], [AvatarSet.CreditCards, '__proto__']] as const) {
      await expect(sut.getIcon(set, code, { width: '5000' })).rejects.toMatchObject({ type: 'general_argument_invalid', code: 400, message: expect.stringMatching(/^Invalid `code` param: Value must be one of \(/) });
    }
    expect((await sut.getIcon(AvatarSet.Flags, 'DE', { width: '10', height: '10' })).contentType).toBe('image/png');
    await expect(sut.getIcon(AvatarSet.Flags, 'de', { width: '2001' })).rejects.toMatchObject({ type: 'general_argument_invalid', code: 400 });
    await expect(sut.getIcon(AvatarSet.Flags, 'de', { quality: 'abc' })).rejects.toMatchObject({ type: 'general_argument_invalid' });
  });

  withReference('answers to exactly the codes Appwrite 1.3 lists in each set, and draws each of them', () => {
    for (const set of [AvatarSet.Browsers, AvatarSet.CreditCards, AvatarSet.Flags]) {
      const theirs = Object.keys(JSON.parse(readFileSync(resolve(reference, `${set}.json`), 'utf8')));
      expect([set, [...avatarCodes(set)].sort()]).toEqual([set, [...theirs].sort()]);
      expect([set, theirs.filter((code) => !avatarAsset(set, code))]).toEqual([set, []]);
    }
  });

  it('forms initials and a stable colour the 1.3 way', () => {
    expect(initialsOf('John Doe', '').text).toBe('JD');
    expect(initialsOf('john_doe', '').text).toBe('JD');
    expect(initialsOf('Ada Byron Lovelace', '').text).toBe('AB');
    expect(initialsOf('cher', '').text).toBe('C');
    expect(initialsOf('', '').text).toBe('');
    expect(initialsOf('John Doe', '').background).toBe(initialsOf('jane dane', '').background);
    expect(initialsOf('John Doe', 'ff0000').background).toBe('#ff0000');
  });

  it('renders initials as a PNG of the asked size with the background colour and cut-out letters', async () => {
    const image = await sut.getInitials({ name: 'John Doe', width: '120', height: '80', background: '00ff00' });
    expect(image.contentType).toBe('image/png');
    const { data, info } = await sharp(image.body).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([120, 80]);
    expect([...data.subarray(0, 4)]).toEqual([0, 255, 0, 255]);
    let transparent = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] < 128) transparent++;
    expect(transparent).toBeGreaterThan(50);
  });

  it("uses the signed-in user's name when none is given", async () => {
    const ctx = { extras: { user: { name: 'Zed Zulu', email: 'z@example.com' } } } as never;
    const withUser = await sut.getInitials({ background: '123456' }, ctx);
    const named = await sut.getInitials({ name: 'Zed Zulu', background: '123456' });
    expect(withUser.body.equals(named.body)).toBe(true);
  });

  it('encodes the text in a QR code of the asked size', async () => {
    const image = await sut.getQr({ text: 'https://appconda.io/?q=1', size: '300', margin: '2' });
    expect(await decode(image.body)).toMatchObject({ format: 'png', width: 300, height: 300 });
    expect(await readQr(image.body)).toBe('https://appconda.io/?q=1');
    expect(image.filename).toBeUndefined();
    expect((await sut.getQr({ text: 'x', download: 'true' })).filename).toBe('qr.png');
    await expect(sut.getQr({})).rejects.toMatchObject({ type: 'general_argument_invalid' });
    await expect(sut.getQr({ text: 'x', size: '1001' })).rejects.toMatchObject({ type: 'general_argument_invalid' });
    await expect(sut.getQr({ text: 'x'.repeat(513) })).rejects.toMatchObject({ type: 'general_argument_invalid' });
  });

  it('refuses internal addresses before any connection', async () => {
    const denied = { message: 'The URL points to an address that may not be fetched.' };
    await expect(sut.getImage({ url: 'http://10.1.2.3/a.png' })).rejects.toMatchObject({ ...denied, type: 'avatar_image_not_found' });
    await expect(sut.getImage({ url: 'http://127.0.0.1:9/a.png' })).rejects.toMatchObject({ ...denied, type: 'avatar_image_not_found' });
    await expect(sut.getImage({ url: 'http://169.254.169.254/latest/meta-data' })).rejects.toMatchObject({ ...denied, type: 'avatar_image_not_found' });
    await expect(sut.getFavicon({ url: 'http://[::ffff:192.168.0.1]/' })).rejects.toMatchObject({ ...denied, type: 'avatar_remote_url_failed' });
    await expect(sut.getFavicon({ url: 'http://localhost:9/' })).rejects.toMatchObject({ ...denied, type: 'avatar_remote_url_failed' });
    await expect(sut.getImage({ url: 'ftp://example.com/a.png' })).rejects.toMatchObject({ type: 'general_argument_invalid' });
  });
});

describe('isAddressAllowed', () => {
  it.each(['10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', 'fe80::1', 'fd00::1', '::', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe'])('refuses %s', (ip) => {
    expect(isAddressAllowed(ip, true)).toBe(false);
  });

  it('refuses loopback unless allowed', () => {
    expect(isAddressAllowed('127.0.0.1', false)).toBe(false);
    expect(isAddressAllowed('::1', false)).toBe(false);
    expect(isAddressAllowed('127.0.0.1', true)).toBe(true);
    expect(isAddressAllowed('::ffff:127.0.0.1', true)).toBe(true);
  });

  it('allows public addresses', () => {
    expect(isAddressAllowed('93.184.216.34', false)).toBe(true);
    expect(isAddressAllowed('2606:4700::1111', false)).toBe(true);
  });
});

describe('chooseFavicon', () => {
  it('takes the largest icon link of a supported type, resolved against the page', () => {
    const html = `<html><head>
      <link rel="stylesheet" href="/a.css">
      <link rel="icon" href="/small.png" sizes="16x16">
      <LINK REL="shortcut icon" href='img/big.png' sizes="64x64" />
      <link rel="icon" href="/vector.svg" sizes="any">
      <link rel="apple-touch-icon" href="/apple.png" sizes="180x180">
    </head></html>`;
    expect(chooseFavicon(html, 'https://example.com/blog/post')).toEqual({ href: 'https://example.com/blog/img/big.png', extension: 'png' });
  });

  it('falls back to /favicon.ico at the origin', () => {
    expect(chooseFavicon('<html></html>', 'https://example.com/x/y?z=1')).toEqual({ href: 'https://example.com/favicon.ico', extension: 'ico' });
  });
});
