/**
 * How far below the busy share the replicas in use must be, together, for one fewer to hold their
 * load: well apart from the growth's threshold, so that a steady load does not make the count
 * swing between two values each time it is read.
 */
const SHRINK_MARGIN = 0.8;

/**
 * How many of a service's replicas (oldest first) a gateway spreads tenants over, given how many it
 * used so far and what share of a core each replica said it used lately (`cpus`, oldest first).
 * Read about once a second, it moves by one at a time:
 * - one more when the replicas in use are busy on average (above `busyCpu`) and another is there;
 * - one fewer when the load of those in use would leave one fewer below SHRINK_MARGIN of it.
 *
 * Why not every replica at once: a replica's group commits, turns and kept states serve more
 * requests each when fewer replicas share the load, so replicas that are not busy serve more by
 * being fewer. On two cores, a second replica sharing the bench's load cost Create up to a fifth
 * of its requests a second (docs/performance.md, Scale-out). Replicas beyond those in use still
 * take what spills over (tenant-routing.ts), so a burst does not wait for the count to grow.
 * A `busyCpu` of 0 uses every replica.
 */
export function replicasInUse(current: number, cpus: readonly number[], busyCpu: number): number {
  const live = cpus.length;
  if (busyCpu === 0 || live <= 1) return live;
  const inUse = Math.min(Math.max(current, 1), live);
  let load = 0;
  for (let i = 0; i < inUse; i++) load += cpus[i];
  if (load / inUse > busyCpu && inUse < live) return inUse + 1;
  if (inUse > 1 && load < busyCpu * (inUse - 1) * SHRINK_MARGIN) return inUse - 1;
  return inUse;
}
