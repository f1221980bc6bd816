/**
 * The figures a fault suite prints at the end (issue 10, "Faults"): which cases were tried, which passed, and
 * what was measured on the way (retries, waits honoured, time to recover). One summary per suite.
 */
export class FaultTally {
  private readonly tried: string[] = [];
  private readonly passed = new Set<string>();
  private readonly figures: Array<[string, string]> = [];

  constructor(private readonly title: string) {}

  /** Runs one case; it counts as passed only when the body finishes without a failed expectation. */
  async run(name: string, body: () => Promise<void>): Promise<void> {
    this.tried.push(name);
    await body();
    this.passed.add(name);
  }

  figure(name: string, value: string): void {
    this.figures.push([name, value]);
  }

  summary(): string {
    const cases = this.tried.map((name) => `  ${this.passed.has(name) ? 'passed' : 'FAILED'}  ${name}`);
    const figures = this.figures.map(([name, value]) => `  ${name}: ${value}`);
    return [
      `${this.title}: ${this.tried.length} cases tried, ${this.passed.size} passed`,
      ...cases,
      ...(figures.length > 0 ? ['figures:', ...figures] : []),
    ].join('\n');
  }
}

/** Gaps in milliseconds between consecutive arrival times. */
export function gapsBetween(times: number[]): number[] {
  return times.slice(1).map((time, index) => time - times[index]);
}

export function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(2)} s`;
}
