/** Where reports are written: an S3-compatible store, or a directory standing in for one. */
export interface ReportDestination {
  /** Writes one report; throws with a message the generator's owner can act on when it cannot. */
  put(bucket: string, key: string, csv: string): Promise<void>;
}

export const REPORT_DESTINATION = Symbol('ReportDestination');
