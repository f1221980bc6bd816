import { entityTypes, type EntityType } from '../../sources/model';
import type { IncidentContext } from '../context';
import { groundTechniques, groundValues } from '../grounding';
import { GroundingLedger, groundingIndex, type GroundingIndex } from './ground';
import { highestSeverity, sortTimeline } from './offline';
import { verdicts, type Investigation, type InvestigationAnswer } from './schema';
import type { InvestigateDependencies } from './index';

/**
 * The model's investigation checked against the gathered context: technique IDs against ATT&CK, entities, users,
 * threats and evidence ids against the context, indicators in free text redacted when the context lacks them,
 * and the assessment kept from falling below what the evidence supports.
 */

const knownEntityTypes = new Set<string>(entityTypes);

/** The model's answer checked against the context: unknown IDs, entities and indicators removed or marked. */
export function groundAnswer(
  answer: InvestigationAnswer,
  context: IncidentContext,
  offline: Investigation,
  dependencies: InvestigateDependencies,
  notes: string[],
): Investigation {
  const index = groundingIndex(context);
  const ledger = new GroundingLedger();
  const free = (text: string) => ledger.redact(text.trim(), index);
  const ids = (evidenceIds: readonly string[]) => ledger.ids(evidenceIds, index);

  const techniques = groundTechniques(
    answer.techniques.map((technique) => ({ id: technique.id, name: '', tactics: [] })),
    dependencies.attack,
  );
  for (const id of techniques.dropped) ledger.techniques.add(id);
  const evidenceFor = new Map(
    answer.techniques.map((technique) => [technique.id.trim().toUpperCase(), technique.evidenceIds]),
  );

  const assessment = assessmentWithinFloor(answer.assessment, offline.assessment, notes);
  const summary = free(assessment.summary);
  const rationale = free(assessment.rationale);
  const vector = free(answer.attackVector.description);
  const vectorTechniques = answer.attackVector.techniqueIds.filter((id) => {
    const known = dependencies.attack.technique(id) !== undefined;
    if (!known) ledger.techniques.add(id);
    return known;
  });

  const grounded: Investigation = {
    assessment: {
      ...assessment,
      summary: summary.text,
      rationale: rationale.text,
      evidenceIds: ids(assessment.evidenceIds),
    },
    attackVector: {
      description: vector.text,
      techniqueIds: vectorTechniques.map((id) => dependencies.attack.technique(id)?.id ?? id).slice(0, 6),
      evidenceIds: ids(answer.attackVector.evidenceIds),
    },
    scope: {
      summary: free(answer.scope.summary).text,
      assets: groundedAssets(answer.scope.assets, context, index, ledger, ids),
      users: groundedUsers(answer.scope.users, context, ledger, ids),
    },
    timeline: sortTimeline(
      answer.timeline.flatMap((event) => {
        const time = new Date(event.time);
        if (Number.isNaN(time.getTime())) return [];
        const description = free(event.description);
        const evidenceIds = ids(event.evidenceIds);
        return [
          {
            time: time.toISOString(),
            source: free(event.source).text,
            description: description.text,
            evidenceIds,
            unverified: description.changed || evidenceIds.length === 0,
          },
        ];
      }),
    ).slice(0, 60),
    techniques: techniques.kept.map((technique) => ({
      ...technique,
      evidenceIds: ids(evidenceFor.get(technique.id) ?? []),
    })),
    relatedThreats: groundedThreats(answer.relatedThreats, context, index, dependencies, ledger, ids),
    containment: answer.containment
      .flatMap((step) => {
        const target = groundedTarget(step.targetType, step.targetValue, context, index);
        if (target === undefined) {
          ledger.values.add(step.targetValue);
          return [];
        }
        return [
          {
            action: free(step.action).text,
            target,
            owner: free(step.owner).text,
            verification: free(step.verification).text,
            evidenceIds: ids(step.evidenceIds),
          },
        ];
      })
      .slice(0, 15)
      .map((step, position) => ({ order: position + 1, ...step })),
    evidenceToPreserve: answer.evidenceToPreserve.slice(0, 15).map((item) => ({
      what: free(item.what).text,
      where: free(item.where).text,
      why: free(item.why).text,
      evidenceIds: ids(item.evidenceIds),
    })),
    findings: answer.findings.slice(0, 20).map((finding) => {
      const statement = free(finding.statement);
      const evidenceIds = ids(finding.evidenceIds);
      return { statement: statement.text, evidenceIds, unverified: statement.changed || evidenceIds.length === 0 };
    }),
    gaps: offline.gaps,
    dataSources: offline.dataSources,
  };
  notes.push(...ledger.notes());
  return grounded;
}

/**
 * The model may not talk the incident down past what its facts support: a description saying "this is benign"
 * is attacker-writable. The severity cannot fall below the alerts' own, nor the verdict to benign when the
 * offline engine finds it malicious or suspicious.
 */
function assessmentWithinFloor(
  given: InvestigationAnswer['assessment'],
  floor: Investigation['assessment'],
  notes: string[],
): InvestigationAnswer['assessment'] {
  let { severity, verdict, confidence } = given;
  if (highestSeverity([severity, floor.severity]) !== severity) {
    notes.push(
      `The model rated the incident ${severity}; its alerts are rated ${floor.severity}, so it is shown as ${floor.severity}.`,
    );
    severity = floor.severity;
  }
  const talkedDown = verdicts.indexOf(verdict) > verdicts.indexOf(floor.verdict) && floor.verdict !== 'undetermined';
  if (talkedDown && (verdict === 'benign' || verdict === 'undetermined')) {
    notes.push(
      `The model called the incident ${verdict}; the evidence supports ${floor.verdict}, so it is shown as ${floor.verdict}.`,
    );
    verdict = floor.verdict;
    confidence = floor.confidence;
  }
  return { ...given, severity, verdict, confidence };
}

function groundedTarget(
  type: string,
  value: string,
  context: IncidentContext,
  index: GroundingIndex,
): { type: EntityType; value: string } | undefined {
  const trimmed = value.trim();
  if (trimmed === '' || groundValues([{ value: trimmed }], index.haystack).kept.length === 0) return undefined;
  const listed = context.evidence.find((item) => item.entity.value.trim().toLowerCase() === trimmed.toLowerCase());
  const claimed = type.trim();
  return {
    type: listed?.entity.type ?? (knownEntityTypes.has(claimed) ? (claimed as EntityType) : 'other'),
    value: trimmed,
  };
}

function groundedAssets(
  assets: InvestigationAnswer['scope']['assets'],
  context: IncidentContext,
  index: GroundingIndex,
  ledger: GroundingLedger,
  ids: (evidenceIds: readonly string[]) => string[],
): Investigation['scope']['assets'] {
  const seen = new Set<string>();
  return assets
    .flatMap((asset) => {
      const target = groundedTarget(asset.type, asset.value, context, index);
      if (target === undefined) {
        ledger.values.add(asset.value);
        return [];
      }
      const key = `${target.type}|${target.value.toLowerCase()}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ ...target, role: ledger.redact(asset.role, index).text, evidenceIds: ids(asset.evidenceIds) }];
    })
    .slice(0, 30);
}

function groundedUsers(
  users: InvestigationAnswer['scope']['users'],
  context: IncidentContext,
  ledger: GroundingLedger,
  ids: (evidenceIds: readonly string[]) => string[],
): Investigation['scope']['users'] {
  const involved = new Set(
    context.evidence
      .filter((item) => item.entity.type === 'account' || item.entity.type === 'mailbox')
      .flatMap((item) => [item.entity.value, item.entity.properties.userPrincipalName ?? ''])
      .map((value) => value.trim().toLowerCase())
      .filter((value) => value !== ''),
  );
  const seen = new Set<string>();
  return users
    .flatMap((user) => {
      const upn = user.userPrincipalName.trim();
      const key = upn.toLowerCase();
      if (!involved.has(key)) {
        ledger.values.add(upn);
        return [];
      }
      if (seen.has(key)) return [];
      seen.add(key);
      const profile = context.users.find((candidate) => candidate.userPrincipalName.toLowerCase() === key);
      return [
        {
          userPrincipalName: upn,
          displayName: profile?.displayName,
          department: profile?.department,
          riskLevel: profile?.riskLevel,
          privileged: profile?.isPrivileged ?? false,
          role: user.role.trim() || 'involved',
          evidenceIds: ids(user.evidenceIds),
        },
      ];
    })
    .slice(0, 20);
}

function groundedThreats(
  threats: InvestigationAnswer['relatedThreats'],
  context: IncidentContext,
  index: GroundingIndex,
  dependencies: InvestigateDependencies,
  ledger: GroundingLedger,
  ids: (evidenceIds: readonly string[]) => string[],
): Investigation['relatedThreats'] {
  const catalog = dependencies.attackKnowledge;
  const seen = new Set<string>();
  return threats
    .flatMap((threat) => {
      const attackId = threat.attackId.trim();
      const byId = attackId === '' ? undefined : (catalog?.software(attackId) ?? catalog?.group(attackId));
      const byName = catalog?.software(threat.name.trim()) ?? catalog?.group(threat.name.trim());
      const found = byId ?? byName;
      const inContext = (name: string) =>
        name !== '' && groundValues([{ value: name }], index.haystack).kept.length > 0;
      const listed = found !== undefined && context.threats.some((known) => known.attackId === found.id);
      // Only threats the incident data names (or the gatherer listed) are kept: a real ATT&CK ID the model recalls
      // from technique overlap alone is attribution the evidence does not support.
      const supported = listed || inContext(threat.name.trim()) || (found !== undefined && inContext(found.name));
      if ((attackId !== '' && byId === undefined) || !supported) {
        ledger.threats.add(attackId || threat.name.trim());
        return [];
      }
      const key = found?.id ?? threat.name.trim().toLowerCase();
      if (seen.has(key)) return [];
      seen.add(key);
      const kind: Investigation['relatedThreats'][number]['kind'] =
        found === undefined ? 'campaign' : 'type' in found ? 'software' : 'group';
      return [
        {
          kind,
          attackId: found?.id,
          name: found?.name ?? threat.name.trim(),
          reason: ledger.redact(threat.reason, index).text,
          evidenceIds: ids(threat.evidenceIds),
        },
      ];
    })
    .slice(0, 12);
}
