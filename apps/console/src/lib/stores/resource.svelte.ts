import { errorMessage } from '$lib/sdk';

/**
 * One asynchronous read with its states: loading, failed (with the API's message) or loaded.
 * Pages render from it; `reload()` re-runs the same read (after a create, or from the retry button).
 */
export class Resource<T> {
  data = $state<T | undefined>(undefined);
  error = $state<string | null>(null);
  loading = $state(true);
  #load: () => Promise<T>;
  #run = 0;

  constructor(load: () => Promise<T>) {
    this.#load = load;
    void this.reload();
  }

  async reload(): Promise<void> {
    const run = ++this.#run;
    this.loading = true;
    this.error = null;
    try {
      const value = await this.#load();
      if (run === this.#run) this.data = value;
    } catch (error) {
      if (run === this.#run) this.error = errorMessage(error);
    } finally {
      if (run === this.#run) this.loading = false;
    }
  }
}

/** A form submission: pending while it runs, the API's message when it fails. */
export class Action {
  pending = $state(false);
  error = $state<string | null>(null);

  async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.pending = true;
    this.error = null;
    try {
      return await work();
    } catch (error) {
      this.error = errorMessage(error);
      return undefined;
    } finally {
      this.pending = false;
    }
  }
}
