import { MODULE_METADATA } from '@nestjs/common/constants';
import type { DynamicModule, ModuleMetadata, Provider, Type } from '@nestjs/common';

type Imported = NonNullable<ModuleMetadata['imports']>[number];

/**
 * What the feature modules a service imports declare (recursively): their controllers count
 * among the service's handled operations, and a class they provide is not provided again.
 */
export function declaredByImports(imports: ModuleMetadata['imports']): {
  controllers: Type<unknown>[];
  providers: Provider[];
} {
  const controllers: Type<unknown>[] = [];
  const providers: Provider[] = [];
  const seen = new Set<unknown>();
  const visit = (imported: Imported) => {
    if (!imported || seen.has(imported) || imported instanceof Promise || !isModule(imported)) return;
    seen.add(imported);
    const dynamic = 'module' in imported ? (imported as DynamicModule) : undefined;
    const moduleClass = dynamic ? dynamic.module : (imported as Type<unknown>);
    const metadata = (key: string): unknown[] => Reflect.getMetadata(key, moduleClass) ?? [];
    controllers.push(...(metadata(MODULE_METADATA.CONTROLLERS) as Type<unknown>[]), ...(dynamic?.controllers ?? []));
    providers.push(...(metadata(MODULE_METADATA.PROVIDERS) as Provider[]), ...(dynamic?.providers ?? []));
    [...(metadata(MODULE_METADATA.IMPORTS) as Imported[]), ...(dynamic?.imports ?? [])].forEach(visit);
  };
  (imports ?? []).forEach(visit);
  return { controllers, providers };
}

const isModule = (imported: object): imported is Type<unknown> | DynamicModule =>
  typeof imported === 'function' || 'module' in imported;
