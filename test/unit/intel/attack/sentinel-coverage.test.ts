import { existsSync, readFileSync } from 'node:fs';
import { AttackKnowledge } from '../../../../src/intel/attack';
import { missingSharedMessage, sentinelAlertsPath } from './shared-data';

interface SentinelAlert {
  AlertDisplayName: string;
  Description: string | null;
}

// Microsoft's built-in test alert describes no attacker behaviour, so no technique is the right answer for it.
const isTestAlert = (alert: SentinelAlert) => /test alert \(not a threat\)/i.test(alert.AlertDisplayName);

// Measured when the rules were written: 126 of 133 alerts get at least one technique (the 4 test alerts correctly get
// none; "Random process name detected" ×2 and a generic "Deep Security Agent detected a malware" name no behaviour).
// The floor leaves a little room for rule tuning without letting coverage quietly erode.
const coverageFloor = 124;

if (!existsSync(sentinelAlertsPath)) {
  test('Sentinel alert coverage needs ../shared', () => {
    console.warn(missingSharedMessage(sentinelAlertsPath, 'keyword-rule coverage of the Sentinel alerts'));
    expect(existsSync(sentinelAlertsPath)).toBe(false);
  });
} else {
  describe('techniquesForText on the 133 Sentinel SecurityAlert rows', () => {
    const alerts = JSON.parse(readFileSync(sentinelAlertsPath, 'utf8')) as SentinelAlert[];
    const knowledge = new AttackKnowledge();
    const techniquesOf = (alert: SentinelAlert) =>
      knowledge.techniquesForText(`${alert.AlertDisplayName}\n${alert.Description ?? ''}`);

    test('the large majority get at least one technique', () => {
      expect(alerts).toHaveLength(133);
      const covered = alerts.filter((alert) => techniquesOf(alert).length > 0);
      const uncovered = [
        ...new Set(alerts.filter((alert) => techniquesOf(alert).length === 0).map((alert) => alert.AlertDisplayName)),
      ];
      console.info(
        `ATT&CK keyword coverage: ${covered.length} of ${alerts.length} alerts; none for: ${uncovered.join('; ')}`,
      );
      expect(covered.length).toBeGreaterThanOrEqual(coverageFloor);
    });

    test('test alerts map to no technique', () => {
      const testAlerts = alerts.filter(isTestAlert);
      expect(testAlerts.length).toBeGreaterThan(0);
      for (const alert of testAlerts) expect(techniquesOf(alert)).toEqual([]);
    });
  });
}
