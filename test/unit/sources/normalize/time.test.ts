import { toIsoTimestamp } from '../../../../src/sources/normalize/time';

describe('toIsoTimestamp', () => {
  it.each([
    ['2019-01-12 06:41:44', '2019-01-12T06:41:44.000Z'],
    ['2019-01-12T06:41:44', '2019-01-12T06:41:44.000Z'],
    ['2019-01-15T09:15:03.3338239Z', '2019-01-15T09:15:03.333Z'],
    ['2024-05-02T11:00:00+02:00', '2024-05-02T09:00:00.000Z'],
    ['2024-05-02', '2024-05-02T00:00:00.000Z'],
    ['1/15/2019, 9:15:03.000 AM', '2019-01-15T09:15:03.000Z'],
    ['1/15/2019, 12:05:00.000 AM', '2019-01-15T00:05:00.000Z'],
    ['12/31/2023, 11:59:59.5 PM', '2023-12-31T23:59:59.500Z'],
  ])('reads %p as UTC', (input, expected) => {
    expect(toIsoTimestamp(input)).toBe(expected);
  });

  it.each([['not a date'], [''], ['Tuesday'], [42], [null], [undefined], ['2024-13-45 99:99:99']])(
    'returns undefined for %p',
    (input) => {
      expect(toIsoTimestamp(input)).toBeUndefined();
    },
  );
});
