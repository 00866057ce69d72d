const BITS = 5;
const BRANCH = 0;
const LEAF = 1;
const COLLISION = 2;

interface Branch<V> {
  kind: typeof BRANCH;
  /** Which of the 32 slots of this level are taken; `children` holds them in slot order. */
  bitmap: number;
  children: Node<V>[];
}
interface Leaf<V> {
  kind: typeof LEAF;
  hash: number;
  key: string;
  value: V;
}
/** Keys whose hashes are equal in all 32 bits. */
interface Collision<V> {
  kind: typeof COLLISION;
  hash: number;
  leaves: Leaf<V>[];
}
type Node<V> = Branch<V> | Leaf<V> | Collision<V>;

/**
 * An immutable map from strings to values whose versions share their structure (a hash array
 * mapped trie): `set` and `delete` return a new map and copy only the path to one key, at most
 * seven small nodes, whatever the size. Folded aggregate states use it so that an event costs the
 * same on a configuration with ten associations as on one with a hundred thousand, while every
 * earlier state stays exactly what it was (cached states are shared with batched commands).
 */
export class PersistentMap<V extends object> {
  private static readonly EMPTY = new PersistentMap<never>({ kind: BRANCH, bitmap: 0, children: [] }, 0);

  private constructor(
    private readonly root: Branch<V>,
    readonly size: number,
  ) {}

  static empty<V extends object>(): PersistentMap<V> {
    return PersistentMap.EMPTY;
  }

  get(key: string): V | undefined {
    const hash = hashOf(key);
    let node: Node<V> = this.root;
    for (let shift = 0; ; shift += BITS) {
      if (node.kind === LEAF) return node.key === key ? node.value : undefined;
      if (node.kind === COLLISION) return node.leaves.find((leaf) => leaf.key === key)?.value;
      const bit = bitAt(hash, shift);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[indexOf(node.bitmap, bit)];
    }
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): PersistentMap<V> {
    const leaf: Leaf<V> = { kind: LEAF, hash: hashOf(key), key, value };
    const added = { yes: false };
    const root = setIn(this.root, 0, leaf, added) as Branch<V>;
    return root === this.root ? this : new PersistentMap(root, this.size + (added.yes ? 1 : 0));
  }

  delete(key: string): PersistentMap<V> {
    const root = deleteIn(this.root, 0, hashOf(key), key);
    if (root === this.root) return this;
    // The root stays a branch: a lone leaf under it goes back into a branch of one.
    const branch = root === undefined ? PersistentMap.EMPTY.root : root.kind === BRANCH ? root : branchOf(0, [root]);
    return new PersistentMap(branch, this.size - 1);
  }

  *values(): IterableIterator<V> {
    for (const leaf of leavesOf(this.root)) yield leaf.value;
  }
}

/** FNV-1a over the UTF-16 code units. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const bitAt = (hash: number, shift: number) => 1 << ((hash >>> shift) & 31);

function indexOf(bitmap: number, bit: number): number {
  let bits = bitmap & (bit - 1);
  bits -= (bits >>> 1) & 0x55555555;
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  return Math.imul((bits + (bits >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** A branch at `shift` holding nodes whose hashes differ at that level, in slot order. */
function branchOf<V>(shift: number, nodes: (Leaf<V> | Collision<V>)[]): Branch<V> {
  const sorted = [...nodes].sort((a, b) => ((a.hash >>> shift) & 31) - ((b.hash >>> shift) & 31));
  return { kind: BRANCH, bitmap: sorted.reduce((bitmap, n) => bitmap | bitAt(n.hash, shift), 0), children: sorted };
}

/** Two nodes of different hashes that met in one slot: branches down to where their hashes part. */
function split<V>(a: Leaf<V> | Collision<V>, b: Leaf<V>, shift: number): Branch<V> {
  if (bitAt(a.hash, shift) !== bitAt(b.hash, shift)) return branchOf(shift, [a, b]);
  return { kind: BRANCH, bitmap: bitAt(a.hash, shift), children: [split(a, b, shift + BITS)] };
}

function replaced<T>(items: readonly T[], index: number, item: T): T[] {
  const copy = items.slice();
  copy[index] = item;
  return copy;
}

function setIn<V>(node: Node<V>, shift: number, leaf: Leaf<V>, added: { yes: boolean }): Node<V> {
  if (node.kind === LEAF) {
    if (node.key === leaf.key) return node.value === leaf.value ? node : leaf;
    added.yes = true;
    return node.hash === leaf.hash
      ? { kind: COLLISION, hash: leaf.hash, leaves: [node, leaf] }
      : split(node, leaf, shift);
  }
  if (node.kind === COLLISION) {
    if (node.hash !== leaf.hash) {
      added.yes = true;
      return split(node, leaf, shift);
    }
    const index = node.leaves.findIndex((l) => l.key === leaf.key);
    if (index >= 0 && node.leaves[index].value === leaf.value) return node;
    added.yes = index < 0;
    const leaves = index < 0 ? [...node.leaves, leaf] : replaced(node.leaves, index, leaf);
    return { kind: COLLISION, hash: node.hash, leaves };
  }
  const bit = bitAt(leaf.hash, shift);
  const index = indexOf(node.bitmap, bit);
  if ((node.bitmap & bit) === 0) {
    added.yes = true;
    const children = [...node.children.slice(0, index), leaf, ...node.children.slice(index)];
    return { kind: BRANCH, bitmap: node.bitmap | bit, children };
  }
  const child = setIn(node.children[index], shift + BITS, leaf, added);
  return child === node.children[index]
    ? node
    : { kind: BRANCH, bitmap: node.bitmap, children: replaced(node.children, index, child) };
}

/** The node without `key` (the same node when it lacks it; undefined when nothing is left). */
function deleteIn<V>(node: Node<V>, shift: number, hash: number, key: string): Node<V> | undefined {
  if (node.kind === LEAF) return node.key === key ? undefined : node;
  if (node.kind === COLLISION) {
    const leaves = node.leaves.filter((leaf) => leaf.key !== key);
    if (leaves.length === node.leaves.length) return node;
    return leaves.length === 1 ? leaves[0] : { kind: COLLISION, hash: node.hash, leaves };
  }
  const bit = bitAt(hash, shift);
  if ((node.bitmap & bit) === 0) return node;
  const index = indexOf(node.bitmap, bit);
  const child = deleteIn(node.children[index], shift + BITS, hash, key);
  if (child === node.children[index]) return node;
  if (child !== undefined) {
    // A branch left with one leaf (or collision) gives it up to its parent: the trie stays as shallow as it can.
    if (node.children.length === 1 && child.kind !== BRANCH) return child;
    return { kind: BRANCH, bitmap: node.bitmap, children: replaced(node.children, index, child) };
  }
  if (node.children.length === 1) return undefined;
  const children = node.children.filter((_, i) => i !== index);
  if (children.length === 1 && children[0].kind !== BRANCH) return children[0];
  return { kind: BRANCH, bitmap: node.bitmap & ~bit, children };
}

function* leavesOf<V>(node: Node<V>): IterableIterator<Leaf<V>> {
  if (node.kind === LEAF) yield node;
  else if (node.kind === COLLISION) yield* node.leaves;
  else for (const child of node.children) yield* leavesOf(child);
}
