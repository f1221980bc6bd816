import { ConfigError, describeConfig, loadConfig } from '../../../src/config';

/** OTEL_* variables → AppConfig.tracing: off by default, the OTLP/HTTP endpoint rules, headers as secrets. */
const secret = 'collector-key-5b0e7c';

function problemsOf(environment: Record<string, string>): string[] {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('tracing configuration', () => {
  it('is off when no OTLP endpoint is set, and says so in the start-up line', () => {
    const config = loadConfig({});
    expect(config.tracing).toBeUndefined();
    expect(describeConfig(config).tracing).toBe('off');
  });

  it.each([
    ['http://collector:4318', 'http://collector:4318/v1/traces'],
    ['http://collector:4318/', 'http://collector:4318/v1/traces'],
    ['https://otel.example.com/otlp', 'https://otel.example.com/otlp/v1/traces'],
  ])('OTEL_EXPORTER_OTLP_ENDPOINT=%s is a base URL: %s', (base, expected) => {
    const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: base });
    expect(config.tracing).toEqual({ endpoint: expected, headers: {}, serviceName: 'soc-copilot', sampleRatio: 1 });
  });

  it('uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, before the base URL', () => {
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example.com/custom/traces',
    });
    expect(config.tracing?.endpoint).toBe('https://collector.example.com/custom/traces');
  });

  it('takes the service name and the sample ratio', () => {
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: 'soc-copilot-staging',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(config.tracing).toMatchObject({ serviceName: 'soc-copilot-staging', sampleRatio: 0.25 });
    expect(describeConfig(config).tracing).toBe('OTLP/HTTP http://collector:4318/v1/traces, sample ratio 0.25');
  });

  it('stays off with OTEL_SDK_DISABLED=true even with an endpoint', () => {
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing,
    ).toBeUndefined();
  });

  it('parses the export headers, URL-decoded, the traces-specific ones winning, and never logs them', () => {
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: `api-key=${secret}, X-Tenant=soc%20team`,
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'X-Tenant=traces',
    });
    expect(config.tracing?.headers).toEqual({ 'api-key': secret, 'X-Tenant': 'traces' });
    const described = JSON.stringify(describeConfig(config));
    expect(described).toContain('with headers');
    expect(described).not.toContain(secret);
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318', 'OTEL_EXPORTER_OTLP_ENDPOINT: must be an http or https URL'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector', 'OTEL_EXPORTER_OTLP_ENDPOINT: must be a URL'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'not a url', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be a URL'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'ftp://collector/', 'OTEL_EXPORTER_OTLP_ENDPOINT: must be an http or https URL'],
    [
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      `https://user:${secret}@collector/`,
      'OTEL_EXPORTER_OTLP_ENDPOINT: must not contain credentials',
    ],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5', 'OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1'],
    ['OTEL_TRACES_SAMPLER_ARG', 'half', 'OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1'],
  ])('%s=%s is refused with a message naming the variable', (name, value, message) => {
    const problems = problemsOf({ [name]: value });
    expect(problems.some((problem) => problem.startsWith(message))).toBe(true);
    expect(problems.join('\n')).not.toContain(secret);
  });

  it.each([`api-key${secret}`, `=${secret}`, `bad name=${secret}`, `api-key=%ZZ${secret}`])(
    'malformed headers (%s) are refused without echoing the value',
    (value) => {
      const problems = problemsOf({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_HEADERS: value,
      });
      expect(problems).toEqual([
        'OTEL_EXPORTER_OTLP_HEADERS: must be key=value pairs separated by commas (e.g. api-key=<key>), values URL-encoded',
      ]);
      expect(problems.join('\n')).not.toContain(secret);
    },
  );
});
