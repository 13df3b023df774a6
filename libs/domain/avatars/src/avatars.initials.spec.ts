import sharp from 'sharp';

import { initialsOf, initialsSvg } from './avatars.initials';

describe('initials', () => {
  it.each(['\u0000', 'a\u0000b', '\u0007\u001b[31m', '\ud800 x', '\u200b\ufeff', 'ok\u0001 name'])('renders a name with control characters (%j) without failing', async (name) => {
    const initials = initialsOf(name, '');
    expect(initials.text).not.toMatch(/\p{C}/u);
    const png = await sharp(Buffer.from(initialsSvg(initials, 50, 50))).png().toBuffer();
    expect(png.length).toBeGreaterThan(0);
  });

  it('keeps the 1.3 initials of ordinary names', () => {
    expect(initialsOf('john doe', '').text).toBe('JD');
    expect(initialsOf('a\u0000lice_bob', '').text).toBe('AB');
  });
});
