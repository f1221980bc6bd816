import { ConcurrencyLimit, TokenBucket } from '../../../../src/intel/enrichment/rate-limiter';
import { ThreatIntelError } from '../../../../src/intel/enrichment/provider-error';
import { virtualTime } from './fakes';

function bucket(time: ReturnType<typeof virtualTime>, requestsPerMinute: number, extra: { burst?: number } = {}) {
  return new TokenBucket({
    provider: 'VirusTotal',
    requestsPerMinute,
    maxWaitMs: 120_000,
    clock: time.clock,
    sleep: time.sleep,
    ...extra,
  });
}

describe('TokenBucket', () => {
  it('spaces requests evenly by default, serving concurrent callers in arrival order', async () => {
    const time = virtualTime();
    const limiter = bucket(time, 4);
    const granted: Array<[number, number]> = [];
    await Promise.all(
      [0, 1, 2, 3].map((caller) => limiter.acquire().then(() => granted.push([caller, time.elapsed()]))),
    );
    expect(granted).toEqual([
      [0, 0],
      [1, 15_000],
      [2, 30_000],
      [3, 45_000],
    ]);
  });

  it('refills while idle, up to its burst', async () => {
    const time = virtualTime();
    const limiter = bucket(time, 60, { burst: 3 });
    for (let index = 0; index < 3; index += 1) await limiter.acquire();
    expect(time.sleeps).toEqual([]);
    await limiter.acquire();
    expect(time.sleeps).toEqual([1_000]);
    time.advance(10 * 60_000);
    for (let index = 0; index < 3; index += 1) await limiter.acquire();
    expect(time.sleeps).toEqual([1_000]);
  });

  it('refuses a wait longer than allowed, and the next caller is still served', async () => {
    const time = virtualTime();
    const limiter = new TokenBucket({
      provider: 'VirusTotal',
      requestsPerMinute: 4,
      maxWaitMs: 10_000,
      clock: time.clock,
      sleep: time.sleep,
    });
    await limiter.acquire();
    await expect(limiter.acquire()).rejects.toBeInstanceOf(ThreatIntelError);
    time.advance(15_000);
    await expect(limiter.acquire()).resolves.toBeUndefined();
  });

  it('rejects a non-positive rate', () => {
    expect(() => bucket(virtualTime(), 0)).toThrow(RangeError);
  });
});

describe('ConcurrencyLimit', () => {
  it('runs at most the limit at once and the rest in order', async () => {
    const limit = new ConcurrencyLimit(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map((task) =>
        limit.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(task);
          active -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});
