import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../../logger';
import type { Store } from '../../store';
import type { Clock } from './rate-limiter';
import { INDICATOR_TYPES, VERDICTS, type Indicator, type ProviderFinding } from './types';

export const CACHE_KEY_PREFIX = 'ti-cache/';

export interface CacheTtl {
  /** For malicious, suspicious and harmless findings. */
  verdictSeconds: number;
  /** For unknown findings: a provider that has not seen an indicator yet may well have seen it in an hour. */
  unknownSeconds: number;
}

export interface CachedFinding {
  finding: ProviderFinding;
  checkedAt: string;
}

const AssociationsSchema = z.object({
  malwareFamilies: z.array(z.string()),
  groups: z.array(z.string()),
  tags: z.array(z.string()),
});

/** What we wrote ourselves, checked anyway: an old or hand-edited entry is ignored, never trusted. */
const CacheEntrySchema = z.object({
  version: z.literal(1),
  indicatorType: z.enum(INDICATOR_TYPES),
  checkedAt: z.string(),
  expiresAt: z.number(),
  finding: z.object({
    verdict: z.enum(VERDICTS),
    score: z.object({ value: z.number(), max: z.number().optional(), label: z.string() }).optional(),
    detail: z.string(),
    reference: z.string().optional(),
    associations: AssociationsSchema,
  }),
});
type CacheEntry = z.infer<typeof CacheEntrySchema>;

/**
 * Provider findings cached in the Store under `ti-cache/<provider>/<type>/<sha256 of the value>`: the hash keeps
 * keys short and free of whatever characters a URL carries. Failures are never cached. The cache is an
 * optimisation: a store error is logged and the lookup goes ahead.
 */
export class FindingCache {
  constructor(
    private readonly store: Store,
    private readonly ttl: CacheTtl,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  static key(providerId: string, indicator: Indicator): string {
    const digest = createHash('sha256').update(indicator.value).digest('hex');
    return `${CACHE_KEY_PREFIX}${providerId}/${indicator.type}/${digest}`;
  }

  async get(providerId: string, indicator: Indicator): Promise<CachedFinding | undefined> {
    const key = FindingCache.key(providerId, indicator);
    let stored: { value: unknown } | undefined;
    try {
      stored = await this.store.get<unknown>(key);
    } catch (error) {
      this.logger.warn({ err: error, provider: providerId }, 'threat-intel cache read failed; looking up instead');
      return undefined;
    }
    if (stored === undefined) return undefined;
    const parsed = CacheEntrySchema.safeParse(stored.value);
    if (!parsed.success || parsed.data.indicatorType !== indicator.type) return undefined;
    if (parsed.data.expiresAt <= this.clock()) return undefined;
    return { finding: parsed.data.finding, checkedAt: parsed.data.checkedAt };
  }

  async put(providerId: string, indicator: Indicator, finding: ProviderFinding): Promise<string> {
    const now = this.clock();
    const seconds = finding.verdict === 'unknown' ? this.ttl.unknownSeconds : this.ttl.verdictSeconds;
    const checkedAt = new Date(now).toISOString();
    if (seconds <= 0) return checkedAt;
    const entry: CacheEntry = {
      version: 1,
      indicatorType: indicator.type,
      checkedAt,
      expiresAt: now + seconds * 1000,
      finding,
    };
    try {
      await this.store.put(FindingCache.key(providerId, indicator), entry);
    } catch (error) {
      this.logger.warn({ err: error, provider: providerId }, 'threat-intel cache write failed');
    }
    return checkedAt;
  }
}
