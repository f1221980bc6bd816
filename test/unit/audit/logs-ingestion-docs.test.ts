import { auditTableColumns } from '../../../src/audit/logs-ingestion';
import { readRepositoryFile } from '../ship/support';

/**
 * The audit table is declared three times: in code (what the sink sends), in infra/main.bicep (the table and the
 * rule's stream) and in docs/deploy.md (for operators who create them by hand). A column missing from the rule's
 * stream would be dropped silently by Azure Monitor, so the three must list the same columns and types.
 */
const expected = auditTableColumns.map(({ name, type }) => `${name}:${type}`);

describe('the audit table definition', () => {
  it('in infra/main.bicep matches the columns the sink sends', () => {
    const bicep = readRepositoryFile('infra', 'main.bicep');
    const block = bicep.slice(
      bicep.indexOf('var auditColumns = ['),
      bicep.indexOf(']', bicep.indexOf('var auditColumns')),
    );
    const columns = [...block.matchAll(/\{ name: '(\w+)', type: '(\w+)' \}/g)].map(
      (match) => `${match[1]}:${match[2]}`,
    );
    expect(columns).toEqual(expected);
    expect(bicep).toContain("var auditTableName = 'SocCopilotAudit_CL'");
  });

  it('in docs/deploy.md (table and rule) matches the columns the sink sends', () => {
    const deploy = readRepositoryFile('docs', 'deploy.md');
    const blocks = [...deploy.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]));
    const table = blocks.find((block) => block.properties?.schema?.name === 'SocCopilotAudit_CL');
    const rule = blocks.find((block) => block.properties?.streamDeclarations !== undefined);
    const columnsOf = (list: Array<{ name: string; type: string }>) => list.map(({ name, type }) => `${name}:${type}`);
    expect(columnsOf(table.properties.schema.columns)).toEqual(expected);
    expect(columnsOf(rule.properties.streamDeclarations['Custom-SocCopilotAudit_CL'].columns)).toEqual(expected);
  });
});
