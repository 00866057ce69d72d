import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { UsageMetricsQueries } from '../application/usage-metrics.queries';

const { subject } = operations('reporting');

/** The CloudWatch read operations the gateway sends here (SigV4 service monitoring, any of its protocols). */
@Controller()
export class UsageMetricsController {
  constructor(private readonly queries: UsageMetricsQueries) {}

  @MessagePattern(subject('ListMetrics'))
  listMetrics(@Payload() { caller, input }: Request<'ListMetrics', 'monitoring'>) {
    return this.queries.listMetrics(caller, input);
  }

  @MessagePattern(subject('GetMetricStatistics'))
  getMetricStatistics(@Payload() { caller, input }: Request<'GetMetricStatistics', 'monitoring'>) {
    return this.queries.getMetricStatistics(caller, input);
  }

  @MessagePattern(subject('GetMetricData'))
  getMetricData(@Payload() { caller, input }: Request<'GetMetricData', 'monitoring'>) {
    return this.queries.getMetricData(caller, input);
  }
}
