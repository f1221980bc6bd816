/** Where a hunting query runs: Microsoft Sentinel (Log Analytics) or Defender XDR advanced hunting. */
export type HuntPlatform = 'sentinel' | 'defender';

export const huntPlatforms: readonly HuntPlatform[] = ['sentinel', 'defender'];

/**
 * A hunting query the project wrote and reviewed, used by the offline engine. Every query starts with
 * `let lookback = …;` (and, where it compares against normal behaviour, `let baseline = …;`) so the
 * time window a question asks for can be applied without touching the query logic.
 */
export interface HuntingTemplate {
  id: string;
  title: string;
  /** What the query finds, one or two sentences. */
  description: string;
  /** ATT&CK technique IDs the query looks for. */
  techniques: string[];
  platforms: Partial<Record<HuntPlatform, string>>;
  /** Lower-case words and phrases a request about this threat is likely to use. */
  keywords: string[];
  expectedFalsePositives: string[];
  tuning: string[];
}
