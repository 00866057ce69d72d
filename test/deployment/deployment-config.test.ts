import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { jetStreamReplicas } from '@lm/messaging';
import { productionVariablesOf, serviceDatabaseVariable, type Environment } from '@lm/service-kit';
import { loadServiceConfig } from '../../libs/service-kit/src/config/service-config';
import { definitionOf } from '../../libs/service-kit/src/service-definition';
import { DiscoveryService } from '../../services/discovery/src/discovery.service';
import { gatewayConfigFromEnv } from '../../services/gateway/src/config';
import { GrantsService } from '../../services/grants/src/grants.service';
import { LicensingService } from '../../services/licensing/src/licensing.service';
import { LinuxSubscriptionsService } from '../../services/linux-subscriptions/src/linux-subscriptions.service';
import { ConversionService } from '../../services/conversion/src/conversion.service';
import { ReportingService } from '../../services/reporting/src/reporting.service';
import { UserSubscriptionsService } from '../../services/user-subscriptions/src/user-subscriptions.service';

/**
 * The deployments of infra/ must start: every container of the image gets, from its manifest and
 * the image's own ENV, what its service's configuration reads, including what production
 * (NODE_ENV=production, set by the Dockerfile) refuses to default. Each container's environment is
 * resolved as Compose or Kubernetes would, then read by the very readers the service runs at start.
 */

const root = resolve(__dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const SERVICES = {
  licensing: LicensingService,
  discovery: DiscoveryService,
  grants: GrantsService,
  reporting: ReportingService,
  'user-subscriptions': UserSubscriptionsService,
  'linux-subscriptions': LinuxSubscriptionsService,
  conversion: ConversionService,
};
type BackendName = keyof typeof SERVICES;

/** The ENV of the Dockerfile's last stage: what every container of the image starts with. */
function imageEnvironment(): Record<string, string> {
  const stages = read('infra/Dockerfile').split(/^FROM /m);
  const env: Record<string, string> = {};
  for (const [, name, value] of stages[stages.length - 1].matchAll(/^ENV (\w+)=(\S+)$/gm)) env[name] = value;
  return env;
}

/** Reads the configuration of the container's SERVICE as it would at start; throws as it would. */
function startConfiguration(env: Environment): void {
  if (env.SERVICE === 'gateway') gatewayConfigFromEnv(env);
  else loadServiceConfig(definitionOf(serviceOf(env)), env);
}

function serviceOf(env: Environment) {
  const service = SERVICES[env.SERVICE as BackendName];
  if (!service) throw new Error(`SERVICE=${env.SERVICE} is not a service of this build`);
  return service;
}

/** The variables the container lacks: what production requires, and where NATS and PostgreSQL are. */
function missingVariables(env: Environment): string[] {
  const set = (variable: string) => (env[variable] ?? '').trim() !== '';
  // The readers' fallbacks for NATS and PostgreSQL name 127.0.0.1: in a container, itself.
  const wanted = env.SERVICE === 'gateway' ? ['NATS_URL'] : ['NATS_URL', ...productionVariablesOf(serviceOf(env))];
  const missing = wanted.filter((variable) => !set(variable));
  if (env.SERVICE !== 'gateway' && !set('DATABASE_URL') && !set(serviceDatabaseVariable(String(env.SERVICE))))
    missing.push('DATABASE_URL');
  return missing;
}

/** `${NAME:-default}` as Compose interpolates it, from an empty shell environment. */
const interpolate = (value: string) => value.replace(/\$\{\w+(?::?-([^}]*))?\}/g, (_, fallback = '') => fallback);

/** KEY=value lines of an env_file, comments and blank lines aside. */
function envFile(path: string): Record<string, string> {
  const entries = read(path)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries);
}

/** The port a service container serves /metrics and its health checks on, as the service reads LM_METRICS_PORT. */
const metricsPortOf = (env: Environment) => loadServiceConfig(definitionOf(serviceOf(env)), env).common.metricsPort;

const compose = () => parse(read('docker-compose.yml'), { merge: true });

/** The environment of each Compose service built from infra/Dockerfile, by service name. */
function composeEnvironments(): Record<string, Record<string, string>> {
  const environments: Record<string, Record<string, string>> = {};
  for (const [name, service] of Object.entries<any>(compose().services)) {
    if (service.build?.dockerfile !== 'infra/Dockerfile') continue;
    const files: string[] = [service.env_file ?? []].flat();
    const env: Record<string, string> = { ...imageEnvironment() };
    for (const file of files) Object.assign(env, envFile(file));
    for (const [variable, value] of Object.entries<string>(service.environment ?? {}))
      env[variable] = interpolate(String(value));
    environments[name] = env;
  }
  return environments;
}

interface KubernetesContainer {
  workload: string;
  image: string;
  env: Record<string, string>;
  /** Variables whose value comes from a Secret the operator creates, as `<secret>/<key>`. */
  secrets: Record<string, string>;
  ports: number[];
  probes: any[];
  readinessProbe?: any;
  livenessProbe?: any;
  /** The pod template's annotations. */
  annotations: Record<string, string>;
}

const kustomizationText = read('infra/k8s/kustomization.yaml');
const kustomization = parse(kustomizationText);
const IMAGE = 'open-license-manager';

/** Every document of the kustomization's resources. */
const kustomizationDocuments = (): any[] =>
  (kustomization.resources as string[]).flatMap((file) =>
    parseAllDocuments(read(`infra/k8s/${file}`)).map((document) => document.toJS()),
  );

/** Every container of the kustomization's workloads, its environment resolved from its config maps. */
function kubernetesContainers(): KubernetesContainer[] {
  const configMaps = new Map<string, Record<string, string>>(
    (kustomization.configMapGenerator ?? []).map((generator: any) => [
      generator.name,
      Object.fromEntries((generator.literals ?? []).map((literal: string) => literal.split(/=(.*)/s, 2))),
    ]),
  );
  return kustomizationDocuments()
    .filter((document) => ['Deployment', 'StatefulSet'].includes(document?.kind))
    .flatMap((workload) =>
      workload.spec.template.spec.containers.map((container: any): KubernetesContainer => {
        const env: Record<string, string> = {};
        const secrets: Record<string, string> = {};
        for (const source of container.envFrom ?? []) {
          const name = source.configMapRef?.name;
          if (!configMaps.has(name)) throw new Error(`${workload.metadata.name}: no config map ${name} is generated`);
          Object.assign(env, configMaps.get(name));
        }
        for (const variable of container.env ?? []) {
          const secret = variable.valueFrom?.secretKeyRef;
          if (secret) secrets[variable.name] = `${secret.name}/${secret.key}`;
          else env[variable.name] = String(variable.value ?? '');
        }
        return {
          workload: workload.metadata.name,
          image: container.image,
          env,
          secrets,
          ports: (container.ports ?? []).map((port: any) => port.containerPort),
          probes: [container.readinessProbe, container.livenessProbe, container.startupProbe].filter(Boolean),
          readinessProbe: container.readinessProbe,
          livenessProbe: container.livenessProbe,
          annotations: workload.spec.template.metadata?.annotations ?? {},
        };
      }),
    );
}

/** A container's environment once deployed: the image's ENV, then the manifest, secrets as the documented command makes them. */
const deployedEnvironment = (container: KubernetesContainer): Record<string, string> => ({
  ...imageEnvironment(),
  ...container.env,
  ...Object.fromEntries(
    Object.keys(container.secrets).map((variable) => [variable, randomBytes(32).toString('base64')]),
  ),
});

const ourContainers = () => kubernetesContainers().filter((container) => container.image.split(':')[0] === IMAGE);

describe('the image', () => {
  it('runs in production, where grants requires LM_MASTER_KEY', () => {
    expect(imageEnvironment().NODE_ENV).toBe('production');
    expect(productionVariablesOf(GrantsService)).toEqual(['LM_MASTER_KEY']);
  });

  it('would not start a container that lacks a required variable: the check below sees it', () => {
    const withoutKey = { ...imageEnvironment(), SERVICE: 'grants', NATS_URL: 'nats://nats:4222', DATABASE_URL: 'x' };
    expect(missingVariables(withoutKey)).toEqual(['LM_MASTER_KEY']);
    expect(() => startConfiguration(withoutKey)).toThrow(/LM_MASTER_KEY must be set in production/);
  });
});

describe('docker-compose.yml', () => {
  const environments = composeEnvironments();

  it('runs the gateway and every service of the build', () => {
    expect(Object.values(environments).map((env) => env.SERVICE)).toEqual(
      expect.arrayContaining(['gateway', ...Object.keys(SERVICES)]),
    );
  });

  it.each(Object.entries(environments))('gives %s every variable it requires, and it reads them', (_name, env) => {
    expect(missingVariables(env)).toEqual([]);
    expect(() => startConfiguration(env)).not.toThrow();
  });

  it.each(Object.keys(SERVICES))(
    'health-checks %s on the readiness of its metrics port, and starts the gateway once it is healthy',
    (service) => {
      const port = metricsPortOf(environments[service]);
      expect(port, `${service} sets no LM_METRICS_PORT`).toBeDefined();
      const { healthcheck } = compose().services[service];
      expect([healthcheck?.test].flat().join(' ')).toContain(`http://127.0.0.1:${port}/health/ready`);
      expect(compose().services.gateway.depends_on[service]).toEqual({ condition: 'service_healthy' });
    },
  );

  it('gives grants a development master key from an env file that says it is one, not the public one production refuses', () => {
    expect(read('infra/development.env')).toMatch(/^# development only: never use in production/);
    expect(environments.grants.LM_MASTER_KEY).toBe(envFile('infra/development.env').LM_MASTER_KEY);
  });
});

describe('infra/k8s', () => {
  const containers = ourContainers();

  it('deploys the gateway and every service of the build from the image kustomize names', () => {
    expect(containers.map((container) => container.env.SERVICE)).toEqual(
      expect.arrayContaining(['gateway', ...Object.keys(SERVICES)]),
    );
    // Manifests name the image without a tag, so that `kustomize edit set image` sets it in one place.
    expect(containers.map((container) => container.image)).toEqual(containers.map(() => IMAGE));
    expect(kustomization.images).toContainEqual(expect.objectContaining({ name: IMAGE }));
  });

  it.each(containers.map((container) => [container.workload, container] as const))(
    'gives %s every variable it requires, and it reads them',
    (_name, container) => {
      const env = deployedEnvironment(container);
      expect(missingVariables(env)).toEqual([]);
      expect(() => startConfiguration(env)).not.toThrow();
    },
  );

  it('takes the master key from a Secret whose creation kustomization.yaml documents', () => {
    const grants = containers.find((container) => container.env.SERVICE === 'grants')!;
    expect(grants.env.LM_MASTER_KEY).toBeUndefined();
    expect(grants.secrets.LM_MASTER_KEY).toBe('lm-master-key/LM_MASTER_KEY');
    expect(kustomizationText).toContain(
      'create secret generic lm-master-key --from-literal=LM_MASTER_KEY=$(openssl rand -base64 32)',
    );
  });

  it.each(Object.keys(SERVICES))(
    'probes %s on its metrics port: ready on /health/ready, live on /health/live, scraped there',
    (service) => {
      const container = containers.find((candidate) => candidate.env.SERVICE === service)!;
      const port = metricsPortOf(deployedEnvironment(container));
      expect(port, `${service} sets no LM_METRICS_PORT`).toBeDefined();
      expect(container.ports).toContain(port);
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port });
      expect(container.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(port),
        'prometheus.io/path': '/metrics',
      });
    },
  );

  it('runs NATS as a three-node cluster, each node routed to the others, NATS_URL listing them all and the streams on all three', () => {
    const documents = kustomizationDocuments();
    const nats = documents.find((document) => document?.kind === 'StatefulSet' && document.metadata.name === 'nats');
    const nodes = Array.from({ length: nats.spec.replicas }, (_, i) => `nats-${i}.${nats.spec.serviceName}`);
    expect(nodes).toHaveLength(3);
    // Node names resolve before a node is ready: it is ready only once routes have joined it to the others.
    const names = documents.find(
      (document) => document?.kind === 'Service' && document.metadata.name === nats.spec.serviceName,
    );
    expect(names.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    const configuration = documents.find(
      (document) => document?.kind === 'ConfigMap' && document.metadata.name === 'nats-config',
    ).data['nats.conf'];
    for (const node of nodes) expect(configuration).toContain(`nats-route://${node}:6222`);
    for (const container of containers) {
      const env = deployedEnvironment(container);
      expect(env.NATS_URL.split(','), container.workload).toEqual(nodes.map((node) => `nats://${node}:4222`));
      expect(jetStreamReplicas(env), container.workload).toBe(nodes.length);
    }
  });

  it('probes only what a container serves: the gateway is ready when GET /health says so', () => {
    for (const container of kubernetesContainers()) {
      for (const probe of container.probes) {
        const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
        if (port !== undefined) expect(container.ports, container.workload).toContain(port);
      }
    }
    const gateway = containers.find((container) => container.env.SERVICE === 'gateway')!;
    expect(gateway.probes[0].httpGet).toEqual({ path: '/health', port: 8080 });
  });
});
