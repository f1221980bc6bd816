import { existsSync } from 'node:fs';
import { AttackKnowledge } from '../../../../src/intel/attack';
import { attackIdOf, bundlePath, missingSharedMessage, readBundleObjects, type StixObject } from './shared-data';

// These checks compare the committed compact table with MITRE's full bundle, which only development sessions and CI
// have. Without it a single test records that, rather than passing silently.
if (!existsSync(bundlePath)) {
  test('ATT&CK bundle comparison needs ../shared', () => {
    console.warn(missingSharedMessage(bundlePath, 'the compact ATT&CK table against the full bundle'));
    expect(existsSync(bundlePath)).toBe(false);
  });
} else {
  describe('compact ATT&CK table against the full STIX bundle', () => {
    const objects = readBundleObjects();
    const byStixId = new Map(objects.map((stixObject) => [stixObject.id, stixObject]));
    const techniques = objects.filter((stixObject) => stixObject.type === 'attack-pattern');
    const isActive = (stixObject: StixObject) => stixObject.revoked !== true && stixObject.x_mitre_deprecated !== true;
    const tacticNames = new Map(
      objects
        .filter((stixObject) => stixObject.type === 'x-mitre-tactic')
        .map((tactic) => [(tactic as StixObject & { x_mitre_shortname: string }).x_mitre_shortname, tactic.name]),
    );
    const knowledge = new AttackKnowledge();

    test('every active technique resolves by ID with its name and tactics', () => {
      const active = techniques.filter(isActive);
      expect(active.length).toBeGreaterThan(600);
      for (const stixTechnique of active) {
        const id = attackIdOf(stixTechnique) as string;
        const technique = knowledge.technique(id);
        expect({ id, name: technique?.name }).toEqual({ id, name: stixTechnique.name });
        const expectedTactics = (stixTechnique.kill_chain_phases ?? [])
          .filter((phase) => phase.kill_chain_name === 'mitre-attack')
          .map((phase) => tacticNames.get(phase.phase_name));
        expect({ id, tactics: technique?.tactics.map((tactic) => tactic.name).sort() }).toEqual({
          id,
          tactics: [...expectedTactics].sort(),
        });
        expect(technique?.resolvedFrom).toBeUndefined();
        expect(technique?.deprecated).toBe(false);
      }
      expect(knowledge.activeTechniques().map((technique) => technique.id)).toHaveLength(active.length);
    });

    test('every revoked technique resolves to the technique MITRE revoked it by', () => {
      const revokedBy = new Map(
        objects
          .filter((stixObject) => stixObject.relationship_type === 'revoked-by')
          .map((relationship) => [relationship.source_ref, relationship.target_ref]),
      );
      const revoked = techniques.filter((stixTechnique) => stixTechnique.revoked === true);
      expect(revoked.length).toBeGreaterThan(100);
      for (const stixTechnique of revoked) {
        let replacement = byStixId.get(revokedBy.get(stixTechnique.id) as string) as StixObject;
        while (replacement.revoked === true) {
          replacement = byStixId.get(revokedBy.get(replacement.id) as string) as StixObject;
        }
        const resolved = knowledge.technique(attackIdOf(stixTechnique) as string);
        expect({ from: attackIdOf(stixTechnique), to: resolved?.id }).toEqual({
          from: attackIdOf(stixTechnique),
          to: attackIdOf(replacement),
        });
        expect(resolved?.resolvedFrom).toBe(attackIdOf(stixTechnique));
        expect(resolved?.name).toBe(replacement.name);
      }
    });

    test('every deprecated technique is still found and flagged', () => {
      const deprecated = techniques.filter((stixTechnique) => stixTechnique.x_mitre_deprecated === true);
      expect(deprecated.length).toBeGreaterThan(0);
      for (const stixTechnique of deprecated) {
        const technique = knowledge.technique(attackIdOf(stixTechnique) as string);
        expect(technique?.deprecated).toBe(true);
        expect(technique?.name).toBe(stixTechnique.name);
      }
    });

    test('every active group and software entry resolves by ID and by name', () => {
      const groups = objects.filter((stixObject) => stixObject.type === 'intrusion-set' && isActive(stixObject));
      const software = objects.filter(
        (stixObject) => (stixObject.type === 'malware' || stixObject.type === 'tool') && isActive(stixObject),
      );
      for (const group of groups) {
        expect(knowledge.group(attackIdOf(group) as string)?.name).toBe(group.name);
      }
      for (const entry of software) {
        expect(knowledge.software(attackIdOf(entry) as string)?.name).toBe(entry.name);
      }
      expect(groups.length).toBeGreaterThan(150);
      expect(software.length).toBeGreaterThan(700);
    });
  });
}
