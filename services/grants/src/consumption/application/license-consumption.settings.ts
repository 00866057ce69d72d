/** How consumption runs (the defaults suit a single deployment). */
export class ConsumptionSettings {
  constructor(
    /**
     * How long a licence lookup (licence, grants, usage epoch) is reused by checkouts and
     * check-ins: a change to a licence or grant reaches consumption within this time.
     */
    readonly licenseCacheMs = 1_000,
  ) {}
}
