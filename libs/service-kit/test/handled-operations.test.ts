import 'reflect-metadata';
import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { healthSubject, inventoryReportSubject, operationSubject } from '@lm/messaging';
import { describe, expect, it } from 'vitest';
import { handledOperations, messagePatternsOf } from '../src/handled-operations';

@Controller()
class ConfigurationsController {
  @MessagePattern(operationSubject('licensing', 'CreateLicenseConfiguration'))
  create() {}

  @MessagePattern(operationSubject('licensing', 'ListLicenseConfigurations'))
  list() {}

  helper() {}
}

@Controller()
class OtherController {
  @MessagePattern(healthSubject('licensing'))
  health() {}

  @MessagePattern('lm.licensing.NotAnOperation')
  stray() {}

  @MessagePattern(operationSubject('licensing', 'CreateLicenseConfiguration'))
  again() {}
}

describe("the operations a service's health reports", () => {
  it("are read from its controllers' @MessagePattern subjects", () => {
    expect(messagePatternsOf([ConfigurationsController])).toEqual([
      operationSubject('licensing', 'CreateLicenseConfiguration'),
      operationSubject('licensing', 'ListLicenseConfigurations'),
    ]);
  });

  it('are the owned operations among them, once each, with endpoints subjects too', () => {
    const subjects = [
      ...messagePatternsOf([ConfigurationsController, OtherController]),
      operationSubject('licensing', 'AuthorizeLaunch'),
      inventoryReportSubject(),
    ];
    expect(handledOperations('licensing', subjects)).toEqual([
      'AuthorizeLaunch',
      'CreateLicenseConfiguration',
      'ListLicenseConfigurations',
    ]);
  });

  it("leave out another service's operations", () => {
    expect(handledOperations('discovery', [operationSubject('licensing', 'CreateLicenseConfiguration')])).toEqual([]);
  });
});
