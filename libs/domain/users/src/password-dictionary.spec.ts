import { AppException } from '@appconda/core';

import { assertNotCommonPassword } from './password-dictionary';

describe('password dictionary', () => {
  it('refuses common passwords when the project turns the dictionary on', () => {
    for (const common of ['password', '12345678', 'qwertyuiop']) {
      expect(() => assertNotCommonPassword(common, true)).toThrow(AppException);
    }
    try {
      assertNotCommonPassword('password', true);
    } catch (error) {
      expect(error).toMatchObject({ type: 'general_argument_invalid', code: 400 });
    }
  });

  it('accepts uncommon passwords, and anything when the dictionary is off', () => {
    expect(() => assertNotCommonPassword('x7-unusual-Phrase', true)).not.toThrow();
    expect(() => assertNotCommonPassword('password', false)).not.toThrow();
    expect(() => assertNotCommonPassword(undefined, true)).not.toThrow();
  });
});
