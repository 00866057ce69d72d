const HOUR_MS = 3_600_000;

/**
 * The hours at which a gauge is sampled between two instants (after `after`, up to and including
 * `through`): the guide's hourly data point, at each whole hour, so that replaying the same
 * events lands every hourly point on the same instant with the same value.
 */
export function hourBoundaries(after: Date, through: Date): Date[] {
  const hours: Date[] = [];
  for (let t = Math.floor(after.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS; t <= through.getTime(); t += HOUR_MS) {
    hours.push(new Date(t));
  }
  return hours;
}
