import { Inject, Injectable, Logger } from '@nestjs/common';
import { AwsError } from '@lm/contracts';
import { REGION, type NatsEndpoint } from '@lm/service-kit';
import { headers, type Msg } from 'nats';
import { InventoryReports } from '../application/inventory-resource.commands';
import { ExactJSONCodec } from '@lm/messaging';

const codec = ExactJSONCodec();
const logger = new Logger('InventoryReports');

/** Errors a reporter can correct: answered with status 400, like the HTTP API. */
const CLIENT_ERRORS = new Set(['ValidationException', 'SerializationException']);

/**
 * Serves inventory reports published straight on NATS (lm.inventory.report): the body of
 * ReportResources, answered with its output when the message has a reply subject. Errors are
 * answered as `{"__type", "message"}` with the NATS service error headers
 * (Nats-Service-Error-Code 400 or 500). The chassis serves it in the service's queue group, so
 * each report is recorded once; reports without a Region are the deployment's.
 */
@Injectable()
export class InventoryReportEndpoint implements NatsEndpoint {
  constructor(
    private readonly reports: InventoryReports,
    @Inject(REGION) private readonly region: string,
  ) {}

  async handle(message: Msg): Promise<void> {
    try {
      const output = await this.reports.report({ kind: 'bus', region: this.region }, parseBody(message.data));
      if (message.reply) message.respond(codec.encode(output));
    } catch (error) {
      const client = error instanceof AwsError && CLIENT_ERRORS.has(error.code);
      if (!client) logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      const type = client ? error.code : 'InternalServerException';
      const text = client ? error.message : 'The service failed to process the report.';
      if (!message.reply) return;
      const errorHeaders = headers();
      errorHeaders.set('Nats-Service-Error-Code', client ? '400' : '500');
      errorHeaders.set('Nats-Service-Error', text);
      message.respond(codec.encode({ __type: type, message: text }), { headers: errorHeaders });
    }
  }
}

function parseBody(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw new AwsError('SerializationException', 'The report is not valid JSON.');
  }
}
