import type { DynamicModule } from '@nestjs/common';
import { definitionOf, type ServiceDefinition } from '../service-definition';
import { commonSettings, readCommonConfig, type CommonConfig } from './common-config';
import {
  ConfigurationError,
  readSettings,
  variablesRequiredInProduction,
  type ConfigOf,
  type Environment,
  type Settings,
} from './settings';

export interface ServiceConfig<S extends Settings = Settings> {
  common: CommonConfig;
  own: ConfigOf<S>;
}

const readFromProcess = new WeakMap<ServiceDefinition<any>, ServiceConfig<any>>();

/**
 * The common and the service's own settings, read once per process (or from `env` when given,
 * e.g. by a test). Throws a ConfigurationError listing every bad variable.
 */
export function loadServiceConfig<S extends Settings>(
  definition: ServiceDefinition<S>,
  env?: Environment,
): ServiceConfig<S> {
  if (env) return read(definition, env);
  let config = readFromProcess.get(definition) as ServiceConfig<S> | undefined;
  if (!config) {
    config = read(definition, process.env);
    readFromProcess.set(definition, config);
  }
  return config;
}

/**
 * What a deployment of `service` (the module of defineService) must set when NODE_ENV=production:
 * the demands of the common settings and of its own. A test holds the manifests of infra/ to it.
 */
export function productionVariablesOf(service: DynamicModule): string[] {
  const definition = definitionOf(service);
  return variablesRequiredInProduction({ ...commonSettings(definition.name), ...definition.config });
}

function read<S extends Settings>(definition: ServiceDefinition<S>, env: Environment): ServiceConfig<S> {
  const problems: string[] = [];
  const attempt = <T>(reader: () => T): T | undefined => {
    try {
      return reader();
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const common = attempt(() => readCommonConfig(definition.name, env));
  const own = attempt(() => readSettings(definition.config ?? ({} as S), env));
  if (problems.length > 0 || !common || !own) throw new ConfigurationError(problems);
  return { common, own };
}
