import { alertAnalysisCard } from '../../../src/cards/analysis-card';
import { cardByteSize, CARD_BUDGET_BYTES } from '../../../src/cards/size-guard';
import {
  remediationCard,
  remediationSubjectPromptCard,
  attackMitigationUrl,
} from '../../../src/cards/remediation-card';
import { triageCard } from '../../../src/cards/triage-card';
import { analyzeAlert } from '../../../src/copilot/analyze-alert';
import { remediate } from '../../../src/copilot/remediate';
import { triageQueue } from '../../../src/copilot/triage';
import { defaultAttackKnowledge } from '../../../src/intel/attack/facts';
import { silentLogger } from '../../../src/logger';
import type { Alert } from '../../../src/sources/model';
import { expectValidCard, makeAlert, renderedText } from '../../support/cards';
import { demoSource, fixedNow } from '../copilot/analyze-alert/support';

const attack = defaultAttackKnowledge();
const logger = silentLogger();

/** An alert at the size limits: a huge description, many entities with long values. */
function hugeAlert(): Alert {
  return makeAlert({
    title: 'T'.repeat(600),
    description: `${'A very long description with https://evil.example/x?y=z and 203.0.113.7. '.repeat(4000)}`,
    entities: Array.from({ length: 60 }, (_, index) => ({
      type: index % 2 === 0 ? ('ip' as const) : ('account' as const),
      value: index % 2 === 0 ? `45.9.${index}.1` : `user${index}@${'x'.repeat(200)}.example`,
      properties: { verdict: 'malicious' },
      roles: ['attacker'],
    })),
  });
}

describe('the analysis card', () => {
  it('shows severity in colour, defanged entities, ATT&CK links and the Remediate button', async () => {
    const alert = makeAlert();
    const card = alertAnalysisCard(await analyzeAlert(alert, { attack, logger, clock: () => fixedNow }), alert);
    expectValidCard(card);
    const json = JSON.stringify(card);
    expect(json).toContain('"color":"attention"');
    expect(json).toContain('https://attack.mitre.org/techniques/T1059/001/');
    const shown = renderedText(card);
    expect(shown).toContain('203.0.113[.]7');
    expect(shown).not.toContain('https://cdn.evil.example');
    expect(json).toContain('"verb":"remediateAlert"');
    expect(shown).toContain('Offline analysis — no LLM was used');
  });

  it('stays under the budget for an alert at every size limit', async () => {
    const alert = hugeAlert();
    const card = alertAnalysisCard(await analyzeAlert(alert, { attack, logger }), alert);
    expectValidCard(card);
    expect(cardByteSize(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });
});

describe('the triage card', () => {
  it('stays under the budget with the largest top and keeps a button row per alert', async () => {
    const result = await triageQueue({ top: 25 }, { attack, logger, dataSource: demoSource(), clock: () => fixedNow });
    const card = triageCard(result, { dataSourceName: 'demo' });
    expectValidCard(card);
    expect(cardByteSize(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(JSON.stringify(card)).toContain(`"data":{"alertId":"${result.result.alerts[0].id}"}`);
  });

  it('says so when nothing is open', async () => {
    const empty = Object.assign(Object.create(demoSource()), {
      listAlerts: async () => [],
      listIncidents: async () => [],
    });
    const card = triageCard(await triageQueue({}, { attack, logger, dataSource: empty }));
    expectValidCard(card);
    expect(renderedText(card)).toContain('Nothing open to triage');
  });
});

describe('the remediation card', () => {
  it('groups steps by phase, hides the how-to behind Details and links mitigations to attack.mitre.org', async () => {
    const source = demoSource();
    const alert = (await source.getAlert('da-1004')) as Alert;
    const card = remediationCard(await remediate({ kind: 'alert', alert }, { attack, logger, dataSource: source }), {
      severity: 'high',
    });
    expectValidCard(card);
    const shown = renderedText(card);
    for (const phase of ['Contain', 'Recover', 'Harden']) expect(shown).toContain(phase);
    expect(JSON.stringify(card)).toContain('https://attack.mitre.org/mitigations/M1043/');
    expect(JSON.stringify(card)).toContain('"title":"Details"');
    expect(shown).toContain('eng-wks-022[.]contoso[.]com');
  });

  it('stays under the budget for an alert at every size limit', async () => {
    const card = remediationCard(await remediate({ kind: 'alert', alert: hugeAlert() }, { attack, logger }));
    expectValidCard(card);
    expect(cardByteSize(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });

  it('links only well-formed mitigation ids', () => {
    expect(attackMitigationUrl('m1043')).toBe('https://attack.mitre.org/mitigations/M1043/');
    expect(attackMitigationUrl('M1043/../../evil')).toBeUndefined();
  });

  it('asks which alert or incident when there is no subject', () => {
    const card = remediationSubjectPromptCard();
    expectValidCard(card);
    expect(renderedText(card)).toContain('how do I contain alert da-1009');
  });
});
