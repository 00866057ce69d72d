import { BadRequestException, Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AwsApiController } from './aws-api.controller';

/**
 * Express percent-decodes the path of the catch-all route before the controller sees it, and
 * refuses one whose escapes are not UTF-8 (`%FF`, `%zz`) with a bare 400 of its own, not an AWS
 * error (Nest hands that refusal, and only that, to filters as a BadRequestException: the
 * controller answers everything itself). Such a path is still an AWS API request, which the
 * gateway matches as sent: it goes to the controller like any other.
 */
@Catch(BadRequestException)
export class UndecodablePathFilter implements ExceptionFilter {
  constructor(private readonly modules: ModuleRef) {}

  async catch(_refusal: BadRequestException, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    await this.modules
      .get(AwsApiController, { strict: false })
      .aws(http.getRequest<Request>(), http.getResponse<Response>());
  }
}
