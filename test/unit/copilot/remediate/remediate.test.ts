import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { remediationCard } from '../../../../src/cards/remediation-card';
import { RemediationSchema, findRemediationSubject, remediate } from '../../../../src/copilot/remediate';
import { mitigationNames, techniqueMitigations } from '../../../../src/copilot/remediate/mitigations';
import { quoted } from '../../../../src/copilot/remediate/rules';
import { defaultAttackKnowledge } from '../../../../src/intel/attack/facts';
import { silentLogger } from '../../../../src/logger';
import { expectValidCard, makeAlert, renderedText } from '../../../support/cards';
import { FakeLlmClient } from '../../../support/fake-llm';
import { describeWithSharedData, sharedDataPath } from '../../../support/shared-data';
import {
  demoSource,
  fixedNow,
  injectionText,
  linkTargets,
  sentinelAlertsFile,
  sharedSentinelAlerts,
} from '../analyze-alert/support';

const attack = defaultAttackKnowledge();
const logger = silentLogger();
const dataSource = demoSource();

async function guidance(id: string, llm?: FakeLlmClient) {
  const subject = await findRemediationSubject(dataSource, id);
  return remediate(subject, { attack, dataSource, llm, logger, clock: () => fixedNow });
}

describe('remediate offline', () => {
  it('contains the ransomware host first, with who, where, how to verify and the risk', async () => {
    const { result, engine } = await guidance('da-1009');
    expect(engine.kind).toBe('offline');
    const [first] = result.steps;
    expect(first).toMatchObject({
      phase: 'contain',
      kind: 'isolateDevice',
      target: { type: 'host', value: 'fs01.contoso.com' },
    });
    expect(first.who).toContain('Defender for Endpoint');
    expect(first.where.map((where) => where.tool)).toEqual(expect.arrayContaining(['portal', 'api']));
    expect(first.risk).toMatch(/server/);
    expect(result.steps.map((step) => step.kind)).toEqual(
      expect.arrayContaining(['blockFileHash', 'restoreFromBackup']),
    );
    expect(result.steps.find((step) => step.kind === 'restoreFromBackup')?.mitigations).toEqual([
      { id: 'M1053', name: 'Data Backup' },
    ]);
    expect(result.mitigations.map((mitigation) => mitigation.id)).toContain('M1053');
  });

  it('never blocks a Microsoft-signed binary by hash', async () => {
    const { result } = await guidance('da-1004');
    const blocked = result.steps.filter((step) => step.kind === 'blockFileHash').map((step) => step.target.value);
    expect(blocked.some((value) => value.startsWith('rundll32.exe'))).toBe(false);
    expect(result.steps.map((step) => step.kind)).toEqual(
      expect.arrayContaining(['revokeSessionsResetCredentials', 'enableCredentialProtection']),
    );
  });

  it('covers a whole incident: the mailbox takeover gets session revocation and the inbox rule removed', async () => {
    const { result } = await guidance('42');
    expect(result.subject).toMatchObject({ kind: 'incident', id: '42' });
    expect(result.alertIds).toHaveLength(5);
    const kinds = result.steps.map((step) => step.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['revokeSessionsResetCredentials', 'disableInboxRule', 'blockRecipient']),
    );
    expect(kinds.indexOf('revokeSessionsResetCredentials')).toBeLessThan(kinds.indexOf('disableInboxRule'));
    const rule = result.steps.find((step) => step.kind === 'disableInboxRule');
    expect(rule?.where.map((where) => where.how).join(' ')).toContain(
      "Get-InboxRule -Mailbox 'priya.raman@contoso.com'",
    );
  });

  it('resets krbtgt after DCSync', async () => {
    const { result } = await guidance('aa-2003');
    expect(result.steps.find((step) => step.kind === 'resetKrbtgt')?.target.value).toBe('krbtgt (CONTOSO)');
  });

  it('gives schema-valid guidance and a valid card for every demo alert and incident', async () => {
    const ids = [
      ...(await dataSource.listAlerts()).map((alert) => alert.id),
      ...(await dataSource.listIncidents()).map((incident) => incident.id),
    ];
    for (const id of ids) {
      const answer = await guidance(id);
      expect(RemediationSchema.safeParse(answer.result).success).toBe(true);
      for (const step of answer.result.steps)
        expect(step.who && step.verify && step.risk && step.where.length > 0).toBeTruthy();
      expectValidCard(remediationCard(answer, { dataSourceName: 'demo' }));
    }
  });

  it('quotes entity values in commands and replaces anything that is not a plain identifier', () => {
    expect(quoted('priya.raman@contoso.com', 'upn')).toBe("'priya.raman@contoso.com'");
    expect(quoted("x'; Remove-Item C:\\ -Recurse; '", 'upn')).toBe('<upn>');
  });

  it('keeps prompt injection in the description out of the steps and off the card', async () => {
    const alert = makeAlert();
    const injected = { ...alert, description: injectionText };
    const plain = await remediate({ kind: 'alert', alert }, { attack, logger });
    const attacked = await remediate({ kind: 'alert', alert: injected }, { attack, logger });
    expect(attacked.result.steps).toEqual(plain.result.steps);
    const card = remediationCard(attacked);
    expectValidCard(card);
    expect(linkTargets(card).some((url) => url.includes('evil.example'))).toBe(false);
  });
});

describeWithSharedData('remediate offline on the shared Sentinel alerts', sentinelAlertsFile, () => {
  it('gives schema-valid guidance and a valid card for each of them', async () => {
    for (const alert of sharedSentinelAlerts()) {
      const answer = await remediate({ kind: 'alert', alert }, { attack, logger, clock: () => fixedNow });
      expect(RemediationSchema.safeParse(answer.result).success).toBe(true);
      expectValidCard(remediationCard(answer, { severity: alert.severity }));
    }
  });
});

const bundleFile = sharedDataPath('attack', 'enterprise-attack.json.gz');

describeWithSharedData('the curated mitigation table', bundleFile, () => {
  it('names only mitigations MITRE relates to each technique, with MITRE’s names', () => {
    const bundle = JSON.parse(gunzipSync(readFileSync(bundleFile)).toString('utf8')) as {
      objects: Array<Record<string, any>>;
    };
    const attackId = (object: Record<string, any>) =>
      (object.external_references ?? []).find((reference: any) => reference.source_name === 'mitre-attack')
        ?.external_id;
    const byStixId = new Map(bundle.objects.map((object) => [object.id as string, object]));
    const pairs = new Set<string>();
    const names = new Map<string, string>();
    for (const object of bundle.objects) {
      if (object.type === 'course-of-action' && !object.revoked) names.set(attackId(object), object.name);
      if (object.type !== 'relationship' || object.relationship_type !== 'mitigates' || object.revoked) continue;
      const source = byStixId.get(object.source_ref);
      const target = byStixId.get(object.target_ref);
      if (source && target) pairs.add(`${attackId(target)}|${attackId(source)}`);
    }
    for (const [technique, mitigations] of Object.entries(techniqueMitigations)) {
      for (const mitigation of mitigations)
        expect(
          pairs.has(`${technique}|${mitigation}`) ? technique + mitigation : `${technique} ${mitigation} not related`,
        ).toBe(technique + mitigation);
    }
    for (const [id, name] of Object.entries(mitigationNames)) expect(names.get(id)).toBe(name);
  });
});

describe('remediate with an LLM', () => {
  it('keeps rule-based steps, adds a grounded model step marked as such and drops one aimed at an invented entity', async () => {
    const llm = new FakeLlmClient().answer({
      summary: 'Isolate fs01 and restore from backup.',
      stepNotes: [{ order: 1, note: 'The share serves finance.' }],
      additionalSteps: [
        {
          action: 'Disable the SMB share D:\\Shares on fs01 until restored.',
          entityType: 'host',
          entityValue: 'fs01.contoso.com',
          why: 'Stops further encryption over SMB.',
          who: 'Windows Server: local administrators',
          where: 'PowerShell: Remove-SmbShare',
          verify: 'Get-SmbShare no longer lists it.',
          risk: 'Users lose access to the share.',
        },
        {
          action: 'Block 10.66.66.66 at the firewall.',
          entityType: 'ip',
          entityValue: '10.66.66.66',
          why: 'Invented.',
          who: 'x',
          where: 'x',
          verify: 'x',
          risk: 'x',
        },
      ],
    });
    const answer = await guidance('da-1009', llm);
    expect(answer.engine.kind).toBe('llm');
    const model = answer.result.steps.filter((step) => step.origin === 'model');
    expect(model.map((step) => step.target.value)).toEqual(['fs01.contoso.com']);
    expect(answer.result.steps[0]).toMatchObject({ kind: 'isolateDevice', origin: 'rules' });
    expect(answer.result.steps[0].why).toContain('The share serves finance.');
    expect(answer.notes.join(' ')).toContain('10.66.66.66');
    const card = remediationCard(answer);
    expectValidCard(card);
    expect(renderedText(card)).toContain('suggested by the model');
  });

  it('falls back to the rules when the model fails', async () => {
    const answer = await guidance('da-1009', new FakeLlmClient().unavailable());
    expect(answer.engine.kind).toBe('offline');
    expect(answer.notes.join(' ')).toContain('offline rules');
  });
});
