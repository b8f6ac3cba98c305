import { Framework, Rule } from '@infra-hub/plugin-infra-compliance-common';
import { attributesRead, ruleEnvironment } from '../engine/cel';
import { evaluateRule } from '../engine/evaluate';
import { PackError, ParsedPack, rulesOf } from './parse';

/** A rule ready to evaluate. @public */
export type CompiledRule = {
  rule: Rule;
  /** The pack and file it came from. */
  pack: string;
  file: string;
  evaluate(context: Record<string, unknown>): unknown;
  /** The rule's `when`: the resources it applies to among those of its types. */
  applies?(context: Record<string, unknown>): unknown;
  /** The attributes of `resource` its condition reads. */
  reads: { values: ReadonlySet<string>; presence: ReadonlySet<string> };
};

/** Every rule and framework of a set of packs, checked against each other. @public */
export type RuleSet = {
  rules: CompiledRule[];
  frameworks: Map<string, Framework & { pack: string }>;
  /** The packs it was built from, by name, with their files. */
  packs: Array<{
    name: string;
    file: string;
    rules: number;
    frameworks: number;
  }>;
};

const exampleAddress = (i: number) => `example[${i}]`;

/**
 * Compiles packs into one rule set: each condition parsed as CEL, each control checked against the
 * frameworks the packs define, each example run. The first problem is a {@link PackError} naming
 * the file and line; nothing of the set is used then.
 *
 * @public
 */
export function compileRuleSet(parsedPacks: ParsedPack[]): RuleSet {
  const env = ruleEnvironment();
  const frameworks = new Map<string, Framework & { pack: string }>();
  const packs: RuleSet['packs'] = [];
  const packNames = new Map<string, string>();
  for (const parsed of parsedPacks) {
    const name = parsed.pack.metadata.name;
    const earlier = packNames.get(name);
    if (earlier)
      throw new PackError(
        parsed.file,
        parsed.lineOf(['metadata', 'name']),
        `pack ${name} is also defined in ${earlier}`,
      );
    packNames.set(name, parsed.file);
    (parsed.pack.frameworks ?? []).forEach((f, i) => {
      const other = frameworks.get(f.id);
      if (other)
        throw new PackError(
          parsed.file,
          parsed.lineOf(['frameworks', i, 'id']),
          `framework ${f.id} is already defined by pack ${other.pack}`,
        );
      const seen = new Set<string>();
      f.controls.forEach((c, j) => {
        if (seen.has(c.id))
          throw new PackError(
            parsed.file,
            parsed.lineOf(['frameworks', i, 'controls', j, 'id']),
            `control ${c.id} is listed twice in framework ${f.id}`,
          );
        seen.add(c.id);
      });
      frameworks.set(f.id, { ...f, pack: name });
    });
  }

  const rules: CompiledRule[] = [];
  const ruleIds = new Map<string, string>();
  for (const parsed of parsedPacks) {
    const name = parsed.pack.metadata.name;
    for (const [rule, i] of rulesOf(parsed)) {
      const at = (...path: Array<string | number>) =>
        parsed.lineOf(['rules', i, ...path]);
      const fail = (path: Array<string | number>, reason: string): never => {
        throw new PackError(parsed.file, at(...path), reason);
      };
      const other = ruleIds.get(rule.id);
      if (other)
        fail(['id'], `rule ${rule.id} is already defined by pack ${other}`);
      ruleIds.set(rule.id, name);

      for (const [frameworkId, controls] of Object.entries(rule.controls)) {
        const framework = frameworks.get(frameworkId);
        if (!framework)
          fail(
            ['controls', frameworkId],
            `rule ${rule.id} names framework ${frameworkId}, which no pack defines`,
          );
        const known = new Set(framework!.controls.map(c => c.id));
        controls.forEach((c, j) => {
          if (!known.has(c))
            fail(
              ['controls', frameworkId, j],
              `rule ${rule.id} names control ${c}, which framework ${frameworkId} does not have`,
            );
        });
      }

      const compile = (key: 'condition' | 'when', text: string) => {
        try {
          const expression = env.parse(text);
          expression.check();
          return expression;
        } catch (e) {
          return fail(
            [key],
            `rule ${rule.id}: the ${key} is not valid CEL: ${
              (e as Error).message.split('\n')[0]
            }`,
          );
        }
      };
      const compiled = compile('condition', rule.condition);
      const when = rule.when ? compile('when', rule.when) : undefined;
      const entry: CompiledRule = {
        rule,
        pack: name,
        file: parsed.file,
        // A parsed expression is itself the function that evaluates it.
        evaluate: compiled as unknown as CompiledRule['evaluate'],
        ...(when
          ? { applies: when as unknown as CompiledRule['evaluate'] }
          : {}),
        reads: attributesRead((compiled as any).ast),
      };
      for (const expected of ['pass', 'fail'] as const) {
        (rule.examples?.[expected] ?? []).forEach((attributes, j) => {
          const related: Record<string, Array<Record<string, unknown>>> = {};
          for (const relation of Object.keys(rule.related ?? {}))
            related[relation] = Array.isArray(attributes[`related.${relation}`])
              ? (attributes[`related.${relation}`] as any[])
              : [];
          const outcome = evaluateRule(
            entry,
            {
              type: rule.resourceTypes[0],
              address: exampleAddress(j),
              attributes,
            },
            related,
          );
          if (outcome.status !== expected)
            fail(
              ['examples', expected, j],
              `rule ${
                rule.id
              }: example ${expected}[${j}] should ${expected} but is ${
                outcome.status
              }${outcome.message ? ` (${outcome.message})` : ''}`,
            );
        });
      }
      rules.push(entry);
    }
    packs.push({
      name,
      file: parsed.file,
      rules: parsed.pack.rules?.length ?? 0,
      frameworks: parsed.pack.frameworks?.length ?? 0,
    });
  }
  return { rules, frameworks, packs };
}
