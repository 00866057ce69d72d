import { describe, expect, it } from 'vitest';
import { apiModels } from '@lm/api-model';
import { NoRespondersError, OperationTimeoutError, type OperationReply } from '@lm/messaging';
import { metricFamilies } from '@lm/service-kit';
import { GatewayMetrics } from '../../src/observability/metrics';

/** The series of one metric line (`metricName`) as `label=value,...` → value. */
async function seriesOf(metrics: GatewayMetrics, name: string): Promise<Record<string, number>> {
  const series: Record<string, number> = {};
  for (const family of await metricFamilies(metrics.registry))
    for (const { metricName = family.name, labels, value } of family.values)
      if (metricName === name)
        series[
          Object.entries(labels)
            .filter(([label]) => label !== 'instance')
            .map(([label, v]) => `${label}=${v}`)
            .join(',')
        ] = value;
  return series;
}

describe('GatewayMetrics', () => {
  it('times each NATS request labelled with the service asked, the operation and how it ended', async () => {
    const metrics = new GatewayMetrics();
    const reply = (ok: boolean) => async (): Promise<OperationReply> =>
      ok ? { ok, output: {} } : { ok, error: { name: 'InvalidParameterValueException', message: 'no' } };
    const failing = (error: Error) => () => Promise.reject(error);
    await metrics.timeNatsRequest('licensing', 'GetLicenseConfiguration', reply(true));
    await metrics.timeNatsRequest('licensing', 'GetLicenseConfiguration', reply(false));
    for (const error of [new OperationTimeoutError('s'), new NoRespondersError('s'), new Error('closed')])
      await expect(metrics.timeNatsRequest('grants', 'GetLicense', failing(error))).rejects.toBe(error);
    expect(await seriesOf(metrics, 'lm_gateway_nats_request_duration_seconds_count')).toEqual({
      'service=licensing,operation=GetLicenseConfiguration,outcome=ok': 1,
      'service=licensing,operation=GetLicenseConfiguration,outcome=error': 1,
      'service=grants,operation=GetLicense,outcome=timeout': 1,
      'service=grants,operation=GetLicense,outcome=no_responders': 1,
      'service=grants,operation=GetLicense,outcome=failed': 1,
    });
  });

  it('counts a response under the operation it resolved, or else the one the request tried', async () => {
    const metrics = new GatewayMetrics();
    const request = {
      method: 'POST',
      url: '/',
      headers: { 'x-amz-target': 'AWSLicenseManager.ListLicenses' },
      body: Buffer.alloc(0),
    };
    const api = apiModels['license-manager'];
    const started = process.hrtime.bigint();
    metrics.recordResponse(request, { api, operation: 'GetLicense', status: 200 }, started);
    metrics.recordResponse(
      request,
      { operation: 'unknown', status: 403, errorCode: 'MissingAuthenticationTokenException' },
      started,
    );
    expect(await seriesOf(metrics, 'lm_gateway_responses_total')).toEqual({
      'api=license-manager,operation=GetLicense,status=200,error_code=,service=gateway': 1,
      'api=license-manager,operation=ListLicenses,status=403,error_code=MissingAuthenticationTokenException,service=gateway': 1,
    });
    expect(await seriesOf(metrics, 'lm_gateway_request_duration_seconds_count')).toEqual({
      'api=license-manager,operation=GetLicense,service=gateway': 1,
      'api=license-manager,operation=ListLicenses,service=gateway': 1,
    });
  });
});
