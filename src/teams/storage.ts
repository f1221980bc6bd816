import type { Storage, StoreItems } from 'botbuilder';
import { CopilotError } from '../errors';
import type { Store } from '../store/port';

/**
 * Bot Framework `Storage` over our Store port, so Teams AI turn state (per conversation and user)
 * lives where everything else does and survives restarts. Etags map one to one: a write carrying a
 * stale eTag fails with a conflict instead of silently overwriting another instance's update.
 */
export class StoreBackedStorage implements Storage {
  constructor(
    private readonly store: Store,
    private readonly prefix = 'botstate/',
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const item = await this.store.get<Record<string, unknown>>(this.prefix + key);
        if (item) items[key] = { ...item.value, eTag: item.etag };
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(async ([key, value]) => {
        const { eTag, ...document } = (value ?? {}) as Record<string, unknown> & { eTag?: string };
        const ifMatch = typeof eTag === 'string' && eTag !== '*' && eTag !== '' ? eTag : undefined;
        try {
          await this.store.put(this.prefix + key, document, ifMatch ? { ifMatch } : undefined);
        } catch (error) {
          if (error instanceof CopilotError && error.code === 'store_conflict' && ifMatch) {
            throw new CopilotError('store_conflict', `Storage: error writing "${key}" due to eTag conflict.`, {
              retryable: true,
              cause: error,
            });
          }
          throw error;
        }
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.store.delete(this.prefix + key)));
  }
}
