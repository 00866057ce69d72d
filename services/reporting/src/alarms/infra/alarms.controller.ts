import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { AlarmCommands } from '../application/alarm.commands';
import { AlarmQueries } from '../application/alarm.queries';

const { subject } = operations('reporting');

/** CloudWatch's metric alarm operations the gateway sends here (SigV4 service monitoring, any of its protocols). */
@Controller()
export class AlarmsController {
  constructor(
    private readonly commands: AlarmCommands,
    private readonly queries: AlarmQueries,
  ) {}

  @MessagePattern(subject('PutMetricAlarm'))
  putMetricAlarm(@Payload() { caller, input }: Request<'PutMetricAlarm', 'monitoring'>) {
    return this.commands.put(caller, input);
  }

  @MessagePattern(subject('DeleteAlarms'))
  deleteAlarms(@Payload() { caller, input }: Request<'DeleteAlarms', 'monitoring'>) {
    return this.commands.delete(caller, input);
  }

  @MessagePattern(subject('SetAlarmState'))
  setAlarmState(@Payload() { caller, input }: Request<'SetAlarmState', 'monitoring'>) {
    return this.commands.setState(caller, input);
  }

  @MessagePattern(subject('EnableAlarmActions'))
  enableAlarmActions(@Payload() { caller, input }: Request<'EnableAlarmActions', 'monitoring'>) {
    return this.commands.setActionsEnabled(caller, input.AlarmNames, true);
  }

  @MessagePattern(subject('DisableAlarmActions'))
  disableAlarmActions(@Payload() { caller, input }: Request<'DisableAlarmActions', 'monitoring'>) {
    return this.commands.setActionsEnabled(caller, input.AlarmNames, false);
  }

  @MessagePattern(subject('DescribeAlarms'))
  describeAlarms(@Payload() { caller, input }: Request<'DescribeAlarms', 'monitoring'>) {
    return this.queries.describeAlarms(caller, input);
  }

  @MessagePattern(subject('DescribeAlarmsForMetric'))
  describeAlarmsForMetric(@Payload() { caller, input }: Request<'DescribeAlarmsForMetric', 'monitoring'>) {
    return this.queries.describeAlarmsForMetric(caller, input);
  }

  @MessagePattern(subject('DescribeAlarmHistory'))
  describeAlarmHistory(@Payload() { caller, input }: Request<'DescribeAlarmHistory', 'monitoring'>) {
    return this.queries.describeAlarmHistory(caller, input);
  }
}
