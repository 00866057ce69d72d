import type { CataloguedEvents, ConversionEventData } from '@lm/contracts';

/** The conversion task events (their data is part of @lm/contracts: lm.events.conversion.*). */
export type ConversionTaskEvent = {
  [T in keyof ConversionEventData]: { type: T; data: ConversionEventData[T] };
}[keyof ConversionEventData];

type _Published = CataloguedEvents<'conversion', ConversionTaskEvent>;

export const CONVERSION_TASK_EVENT_TYPES: readonly ConversionTaskEvent['type'][] = [
  'LicenseConversionTaskStarted',
  'LicenseConversionRequested',
  'LicenseConversionSucceeded',
  'LicenseConversionFailed',
];
