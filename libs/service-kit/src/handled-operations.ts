import type { Type } from '@nestjs/common';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { operationsOwnedBy, type ServiceName } from '@lm/contracts';

/** The NATS subjects the `@MessagePattern` handlers of these controllers listen on. */
export function messagePatternsOf(controllers: readonly Type<unknown>[]): string[] {
  return controllers.flatMap((controller) => {
    const prototype = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((method) => {
      const handler = prototype[method];
      if (typeof handler !== 'function') return [];
      const patterns: unknown = Reflect.getMetadata(PATTERN_METADATA, handler);
      return Array.isArray(patterns) ? patterns.filter((p): p is string => typeof p === 'string') : [];
    });
  });
}

/**
 * The operations a service has a handler for: the last part of each subject it serves
 * (`lm.licensing.CreateLicenseConfiguration` -> `CreateLicenseConfiguration`), kept when the
 * ownership table gives that operation to the service, so that health, inventory-report or
 * metrics subjects are not mistaken for operations.
 */
export function handledOperations(service: ServiceName, subjects: readonly string[]): string[] {
  return [...new Set(operationSubjectsOf(service, subjects).map(operationOf))].sort();
}

/** The subjects among these that carry one of the service's operations. */
export function operationSubjectsOf(service: ServiceName, subjects: readonly string[]): string[] {
  const owned = new Set<string>(operationsOwnedBy(service));
  return subjects.filter((subject) => owned.has(operationOf(subject)));
}

const operationOf = (subject: string) => subject.slice(subject.lastIndexOf('.') + 1);
