import { alertListCard, incidentListCard, LIST_ROWS } from '../../../src/cards/list-cards';
import type { Incident } from '../../../src/sources/model';
import { expectValidCard, makeAlert, renderedText } from '../../support/cards';

const incident = (id: number): Incident => ({
  id: String(id),
  sourceFormat: 'demo',
  title: `Ransomware on fs-0${id} via https://evil.example/x`,
  description: '',
  severity: id % 2 === 0 ? 'high' : 'medium',
  status: 'active',
  createdAt: '2026-11-27T10:00:00.000Z',
  alertIds: ['a', 'b'],
  tags: [],
});

describe('list cards', () => {
  it('lists incidents newest first with Investigate and Report buttons, defanged titles, and the count', () => {
    const incidents = Array.from({ length: 14 }, (_, index) => incident(index + 40));
    const card = incidentListCard({ incidents, filter: { description: 'high' }, source: 'demo' });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('Incidents · high');
    expect(shown).toContain(`14 found (the newest ${LIST_ROWS} shown)`);
    expect(shown).toContain('hxxps://evil[.]example/x');
    expect(shown).not.toContain('Incident 50'); // the 11th is not shown
    const json = JSON.stringify(card);
    expect(json).toContain('"command":"investigate incident 40"');
    expect(json).toContain('"command":"report incident 40 for executives"');
  });

  it('lists alerts with Explain and Analyze buttons, and says when nothing matches', () => {
    const card = alertListCard({ alerts: [makeAlert()], filter: { description: 'newest' }, source: 'graph' });
    expectValidCard(card);
    const json = JSON.stringify(card);
    expect(json).toContain('"verb":"explainAlert"');
    expect(json).toContain('analyze alert da638412345678901234_-1234567890');
    const empty = alertListCard({ alerts: [], filter: { description: 'high, last 1h' }, source: 'demo' });
    expectValidCard(empty);
    expect(renderedText(empty)).toContain('No alerts match.');
  });
});
