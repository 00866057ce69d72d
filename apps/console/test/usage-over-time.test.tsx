// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MonitoringClient } from '../src/api/monitoring-client';
import type { Fetch } from '../src/api/signed-post';
import { axisTop, LineChart, stepPath } from '../src/components/line-chart';
import { accountUsage, configurationUsage, sumOfGauges, TIME_RANGES } from '../src/metrics/usage-series';

afterEach(cleanup);

const CREDENTIALS = {
  accessKeyId: 'AKIACONSOLETEST00001',
  secretAccessKey: 'consoleTestSecretKey00000000000000000001',
};
const ENDPOINT = { origin: 'http://127.0.0.1:8080', region: 'us-east-1' };
const ARN = 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-0123456789abcdef0123456789abcdef';
const THREE_HOURS = TIME_RANGES[0];

/** A CloudWatch client whose GetMetricData pages this test answers, keeping what was sent. */
function monitoringAnswering(pages: object[]) {
  const sent: { url: string; headers: Record<string, string>; body: Record<string, unknown> }[] = [];
  const fetchFn: Fetch = async (url, init) => {
    sent.push({ url, headers: init.headers as Record<string, string>, body: JSON.parse(String(init.body)) });
    return new Response(JSON.stringify(pages[sent.length - 1]), { status: 200 });
  };
  return { client: new MonitoringClient(CREDENTIALS, ENDPOINT, fetchFn), sent };
}

describe('usage over time from the usage metrics', () => {
  it('reads a configuration’s gauges with GetMetricData as the CLI sends it (awsJson1_0, monitoring), page after page', async () => {
    const now = 1_800_000_030;
    const { client, sent } = monitoringAnswering([
      {
        MetricDataResults: [
          { Id: 'm0', Timestamps: [1_799_999_940], Values: [2] },
          { Id: 'm1', Timestamps: [1_799_999_880], Values: [4] },
        ],
        NextToken: 'page-2',
      },
      { MetricDataResults: [{ Id: 'm0', Timestamps: [1_799_999_880], Values: [1] }] },
    ]);
    const usage = await configurationUsage(client, { arn: ARN, countingType: 'Core', counted: true }, THREE_HOURS, now);

    expect(sent[0].url).toBe('http://127.0.0.1:8080/');
    expect(sent[0].headers['x-amz-target']).toBe('GraniteServiceVersion20100801.GetMetricData');
    expect(sent[0].headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(sent[0].headers.authorization).toMatch(/\/us-east-1\/monitoring\/aws4_request/);
    expect(sent[0].body).toEqual({
      MetricDataQueries: ['LicenseConfigurationUsageCount', 'TotalLicenseConfigurationUsageCount'].map((name, i) => ({
        Id: `m${i}`,
        MetricStat: {
          Metric: {
            Namespace: 'AWSLicenseManager/licenseUsage',
            MetricName: name,
            Dimensions: [
              { Name: 'LicenseConfigurationArn', Value: ARN },
              { Name: 'LicenseConfigurationType', Value: 'Core' },
            ],
          },
          Period: 60,
          Stat: 'Maximum',
        },
      })),
      // The window starts on a whole period.
      StartTime: 1_799_989_200,
      EndTime: now,
      ScanBy: 'TimestampAscending',
    });
    expect(sent[1].body.NextToken).toBe('page-2');
    expect(usage).toEqual({
      start: 1_799_989_200,
      end: now,
      series: [
        {
          label: 'Licenses consumed',
          points: [
            { time: 1_799_999_880, value: 1 },
            { time: 1_799_999_940, value: 2 },
          ],
        },
        { label: 'Number of licenses', points: [{ time: 1_799_999_880, value: 4 }] },
      ],
    });
  });

  it('adds up gauges as gauges: each holds its latest value until its next point', () => {
    expect(
      sumOfGauges([
        [
          { time: 60, value: 1 },
          { time: 180, value: 3 },
        ],
        [{ time: 120, value: 5 }],
      ]),
    ).toEqual([
      { time: 60, value: 1 },
      { time: 120, value: 6 },
      { time: 180, value: 8 },
    ]);
  });

  it('charts the account’s configurations together, the count only of those that set one', async () => {
    const { client, sent } = monitoringAnswering([
      {
        MetricDataResults: [
          { Id: 'm0', Timestamps: [120], Values: [1] },
          { Id: 'm1', Timestamps: [60], Values: [2] },
          { Id: 'm2', Timestamps: [60], Values: [10] },
        ],
      },
    ]);
    const usage = await accountUsage(
      client,
      [
        { arn: `${ARN}a`, countingType: 'vCPU', counted: true },
        { arn: `${ARN}b`, countingType: 'Instance', counted: false },
      ],
      THREE_HOURS,
      600,
    );
    const queries = sent[0].body.MetricDataQueries as { MetricStat: { Metric: { MetricName: string } } }[];
    expect(queries.map((q) => q.MetricStat.Metric.MetricName)).toEqual([
      'LicenseConfigurationUsageCount',
      'LicenseConfigurationUsageCount',
      'TotalLicenseConfigurationUsageCount',
    ]);
    expect(usage.series).toEqual([
      {
        label: 'Licenses consumed',
        points: [
          { time: 60, value: 2 },
          { time: 120, value: 3 },
        ],
      },
      { label: 'Number of licenses', points: [{ time: 60, value: 10 }] },
    ]);
  });
});

describe('LineChart', () => {
  it('draws steps to the window’s end on a round axis', () => {
    expect(axisTop([0])).toBe(1);
    expect(axisTop([3])).toBe(5);
    expect(axisTop([16])).toBe(20);
    expect(
      stepPath(
        [
          { time: 0, value: 1 },
          { time: 10, value: 2 },
        ],
        (t) => t,
        (v) => v * 100,
        30,
      ),
    ).toBe('M0,100 H10 V200 H30');
  });

  it('is an image with a title and its values in words, and a table of the values', () => {
    render(
      <LineChart
        title="Licenses consumed over time"
        window={{
          start: 0,
          end: 600,
          series: [
            {
              label: 'Licenses consumed',
              points: [
                { time: 60, value: 1 },
                { time: 120, value: 3 },
              ],
            },
            { label: 'Number of licenses', points: [] },
          ],
        }}
      />,
    );
    const image = screen.getByRole('img', { name: /Licenses consumed over time/ });
    const description = image.querySelector('desc')!.textContent!;
    expect(description).toMatch(
      /^Licenses consumed: from 1 to 3, 3 at .+\. Number of licenses: no data in this period\.$/,
    );
    expect(image.getAttribute('aria-labelledby')).toContain(image.querySelector('desc')!.id);
    expect(screen.getByText('(no data in this period)', { exact: false })).toBeTruthy();
    const table = within(screen.getByRole('region', { name: 'Licenses consumed over time: values' }));
    expect(table.getAllByRole('row')).toHaveLength(3);
    expect(table.getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['1', '—', '3', '—']);
  });
});
