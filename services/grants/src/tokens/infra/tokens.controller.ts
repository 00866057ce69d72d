import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RefreshTokenCommands } from '../application/refresh-token.commands';
import { RefreshTokenExchange } from '../application/refresh-token-exchange';
import { RefreshTokenQueries } from '../application/refresh-token.queries';
import { operations, type Request } from '@lm/service-kit';

const { subject } = operations('grants');

/** NATS handlers of the token operations (customers without accounts); the gateway has validated the input. */
@Controller()
export class TokensController {
  constructor(
    private readonly commands: RefreshTokenCommands,
    private readonly queries: RefreshTokenQueries,
    private readonly exchange: RefreshTokenExchange,
  ) {}

  @MessagePattern(subject('CreateToken'))
  create(@Payload() { caller, input }: Request<'CreateToken'>) {
    return this.commands.create(caller, input);
  }

  @MessagePattern(subject('ListTokens'))
  list(@Payload() { caller, input }: Request<'ListTokens'>) {
    return this.queries.list(caller, input);
  }

  @MessagePattern(subject('DeleteToken'))
  async delete(@Payload() { caller, input }: Request<'DeleteToken'>) {
    await this.commands.delete(caller, input.TokenId);
    return {};
  }

  @MessagePattern(subject('GetAccessToken'))
  getAccessToken(@Payload() { input }: Request<'GetAccessToken'>) {
    return this.exchange.accessTokenFor(input);
  }
}
