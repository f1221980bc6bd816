import { existsSync, readFileSync } from 'node:fs';
import { describeWithSharedData, sharedDataPath } from '../../../support/shared-data';
import { AlertSchema } from '../../../../src/sources/model';
import { detectAlertFormat, normalizeAlert } from '../../../../src/sources/normalize';

/** 133 real SecurityAlert rows shipped beside the project (../shared, read-only, not part of the product). */
const dataFile = sharedDataPath('alerts', 'sentinel-securityalert.dev.json');
const rows: Array<Record<string, unknown>> = existsSync(dataFile) ? JSON.parse(readFileSync(dataFile, 'utf8')) : [];

describeWithSharedData('the shared Sentinel SecurityAlert rows', dataFile, () => {
  it('has the 133 rows this test expects', () => {
    expect(rows).toHaveLength(133);
  });

  it('maps every row to a schema-valid alert with a title', () => {
    for (const row of rows) {
      expect(detectAlertFormat(row)).toBe('sentinel');
      const alert = normalizeAlert(row);
      expect(AlertSchema.safeParse(alert).success).toBe(true);
      expect(alert.title.trim()).not.toBe('');
      expect(alert.id).toBe(row.SystemAlertId);
      expect(alert.createdAt).toMatch(/Z$/);
    }
  });

  it('extracts entities wherever the row has them', () => {
    const withEntities = rows.filter((row) => Array.isArray(row.Entities) && row.Entities.length > 0);
    expect(withEntities.length).toBeGreaterThan(100);
    for (const row of withEntities) {
      const alert = normalizeAlert(row);
      const typedEntities = (row.Entities as Array<Record<string, unknown>>).filter(
        (entity) => entity.Type !== 'host-logon-session',
      );
      expect(alert.entities.length).toBeGreaterThan(0);
      expect(alert.entities.length).toBeLessThanOrEqual(typedEntities.length + 1);
      for (const entity of alert.entities) expect(entity.value.trim()).not.toBe('');
    }
  });

  it('resolves every process image file reference into a path', () => {
    const processes = rows.flatMap((row) => normalizeAlert(row).entities.filter((entity) => entity.type === 'process'));
    expect(processes.length).toBeGreaterThan(50);
    for (const process of processes) expect(process.properties.imageFile).toMatch(/\\/);
  });
});
