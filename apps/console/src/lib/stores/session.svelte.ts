import type { Models } from '@appwrite.io/console';

import { sdk } from '$lib/sdk';

/** The signed-in console user (null when signed out; undefined until the first check). */
class Session {
  user = $state<Models.User<Models.Preferences> | null | undefined>(undefined);

  async refresh(): Promise<Models.User<Models.Preferences> | null> {
    try {
      this.user = await sdk.account.get();
    } catch {
      this.user = null;
    }
    return this.user;
  }

  async signIn(email: string, password: string): Promise<void> {
    await sdk.account.createEmailSession(email, password);
    await this.refresh();
  }

  async signOut(): Promise<void> {
    try {
      await sdk.account.deleteSession('current');
    } finally {
      this.user = null;
    }
  }
}

export const session = new Session();
