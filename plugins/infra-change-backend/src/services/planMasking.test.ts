import { analyzePlanText } from './planAnalysis';
import { PlanAnalyzer } from './PlanAnalyzer';

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p: number) => next() < p,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: T[]) => items[Math.floor(next() * items.length)],
  };
}

const KEYS = ['name', 'tags', 'ingress', 'settings', 'value', 'rules', 'spec'];

/**
 * A random resource change whose marked values are unique tokens (SECRET-<n>-MARKED), in random
 * places of before and after, some of them becoming unknown after apply. Returns the change and
 * the tokens that were marked.
 */
function randomChange(rand: ReturnType<typeof generator>, id: number) {
  const marked: string[] = [];
  let n = 0;
  const token = (isMarked: boolean) => {
    const t = `${isMarked ? 'SECRET' : 'plain'}-${id}-${n++}-${
      isMarked ? 'MARKED' : 'shown'
    }`;
    if (isMarked) marked.push(t);
    return t;
  };
  // Builds a value and its *_sensitive marks together.
  const build = (depth: number): { value: unknown; marks: unknown } => {
    const markHere = rand.chance(0.15);
    if (depth >= 3 || rand.chance(0.3)) {
      return markHere
        ? { value: token(true), marks: true }
        : { value: token(false), marks: false };
    }
    if (markHere) {
      // A whole subtree marked: every token in it is secret.
      const inner = build(depth + 1);
      const all =
        JSON.stringify(inner.value).match(
          /(SECRET|plain)-[0-9-]+-(MARKED|shown)/g,
        ) ?? [];
      marked.push(...all);
      return { value: inner.value, marks: true };
    }
    if (rand.chance(0.5)) {
      const value: unknown[] = [];
      const marks: unknown[] = [];
      for (let i = 0, len = 1 + rand.int(3); i < len; i++) {
        const c = build(depth + 1);
        value.push(c.value);
        marks.push(c.marks);
      }
      return { value, marks };
    }
    const value: Record<string, unknown> = {};
    const marks: Record<string, unknown> = {};
    for (let i = 0, len = 1 + rand.int(4); i < len; i++) {
      const k = `${rand.pick(KEYS)}_${i}`;
      const c = build(depth + 1);
      value[k] = c.value;
      marks[k] = c.marks;
    }
    return { value, marks };
  };
  const before = build(0);
  const after = build(0);
  // Some attributes become known only after apply.
  const afterUnknown: Record<string, unknown> = {};
  if (
    before.value &&
    typeof before.value === 'object' &&
    !Array.isArray(before.value)
  ) {
    for (const k of Object.keys(before.value)) {
      if (rand.chance(0.3)) afterUnknown[k] = true;
    }
  }
  const actions = rand.pick([
    ['update'],
    ['create', 'delete'],
    ['delete'],
    ['create'],
  ]);
  return {
    change: {
      address: `aws_thing.r${id}`,
      type: rand.pick([
        'aws_security_group',
        'aws_iam_policy',
        'aws_db_instance',
        'aws_thing',
      ]),
      mode: 'managed',
      change: {
        actions,
        before:
          actions[0] === 'create' && actions.length === 1
            ? null
            : { wrap: before.value },
        after: actions[0] === 'delete' ? null : { wrap: after.value },
        after_unknown: { wrap: afterUnknown },
        before_sensitive: { wrap: before.marks },
        after_sensitive: { wrap: after.marks },
      },
    },
    marked,
  };
}

describe('masking of sensitive plan values (property)', () => {
  it('never lets a value Terraform marked sensitive into any part of the analysis', async () => {
    const analyzer = new PlanAnalyzer({ timeoutMs: 60_000 });
    try {
      for (let seed = 1; seed <= 60; seed++) {
        const rand = generator(seed);
        const changes = Array.from({ length: 8 }, (_, i) =>
          randomChange(rand, i),
        );
        const marked = changes.flatMap(c => c.marked);
        const plan = {
          format_version: '1.2',
          terraform_version: '1.9.0',
          resource_changes: changes.map(c => c.change),
          resource_drift: changes.slice(0, 3).map(c => c.change),
        };
        const text = JSON.stringify(plan);
        // In process and through the worker thread the uploads use.
        for (const result of [
          analyzePlanText(text),
          await analyzer.analyze(text),
        ]) {
          const out = JSON.stringify(result);
          const leaked = marked.filter(t => out.includes(t));
          expect({ seed, leaked }).toEqual({ seed, leaked: [] });
        }
        // The generator does put marked values in (the test can fail).
        expect(marked.length + changes.length).toBeGreaterThan(0);
      }
    } finally {
      analyzer.stop();
    }
  });

  it('masks a marked value that becomes known only after apply', () => {
    const plan = {
      format_version: '1.2',
      resource_changes: [
        {
          address: 'aws_db_instance.main',
          type: 'aws_db_instance',
          change: {
            actions: ['update'],
            before: { settings: { master: 'hunter2-db-secret', size: 10 } },
            after: { settings: null },
            after_unknown: { settings: true },
            before_sensitive: { settings: { master: true } },
            after_sensitive: {},
          },
        },
      ],
    };
    const out = analyzePlanText(JSON.stringify(plan));
    expect(JSON.stringify(out)).not.toContain('hunter2-db-secret');
    expect(out.analysis.changes[0].changes).toEqual([
      {
        path: 'settings',
        before: { master: '(sensitive)', size: 10 },
        after: '(known after apply)',
        sensitive: true,
      },
    ]);
  });
});
