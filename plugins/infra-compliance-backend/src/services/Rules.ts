import { Framework, Rule } from '@infra-hub/plugin-infra-compliance-common';
import {
  CompiledRule,
  OscalCatalog,
  PackReload,
  RulePackWatcher,
  RuleSet,
} from '@infra-hub/plugin-infra-compliance-node';
import crypto from 'node:crypto';

/** A digest of what a rule set decides: its rules and frameworks, in a stable order. */
export function ruleSetVersion(set: RuleSet): string {
  const hash = crypto.createHash('sha256');
  for (const { rule } of set.rules) hash.update(JSON.stringify(rule));
  for (const [id, f] of [...set.frameworks].sort(([a], [b]) =>
    a.localeCompare(b),
  ))
    hash.update(`${id}\u0000${JSON.stringify(f.controls)}`);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The active rules of the installation: the watched packs, with the digest of the set and the
 * lookups the services need (a rule by id, the rules of a control).
 */
export class Rules {
  private version = '';
  private byId = new Map<string, CompiledRule>();
  private frameworks = new Map<string, Framework & { pack: string }>();

  /**
   * @param catalogs - OSCAL catalogs by name: a framework naming one (`catalog:`) shows its
   *   official control titles in place of the pack's.
   */
  constructor(
    private readonly watcher: Pick<RulePackWatcher, 'current' | 'error'>,
    private readonly catalogs: ReadonlyMap<string, OscalCatalog> = new Map(),
  ) {
    this.index();
  }

  /** To be called after each reload of the watcher. */
  reloaded(outcome: PackReload) {
    if (outcome.ok) this.index();
  }

  private index() {
    const set = this.watcher.current();
    this.version = ruleSetVersion(set);
    this.byId = new Map(set.rules.map(r => [r.rule.id, r]));
    this.frameworks = new Map(
      [...set.frameworks].map(([id, f]) => {
        const catalog = f.catalog ? this.catalogs.get(f.catalog) : undefined;
        if (!catalog) return [id, f];
        return [
          id,
          {
            ...f,
            controls: f.controls.map(c => {
              const title = catalog.controls.get(c.id) ?? c.title;
              return title ? { ...c, title } : c;
            }),
          },
        ];
      }),
    );
  }

  current(): RuleSet {
    return this.watcher.current();
  }

  currentVersion(): string {
    return this.version;
  }

  rule(id: string): Rule | undefined {
    return this.byId.get(id)?.rule;
  }

  /** A framework, its control titles from its OSCAL catalog when one is loaded. */
  framework(id: string): (Framework & { pack: string }) | undefined {
    return this.frameworks.get(id);
  }

  /** The ids of the rules that support a framework's control (all of the framework without one). */
  rulesOf(framework: string, control?: string): string[] {
    return this.current()
      .rules.filter(({ rule }) => {
        const ids = rule.controls[framework];
        return ids && (control === undefined || ids.includes(control));
      })
      .map(r => r.rule.id);
  }

  /** What the rules page shows: the packs, their frameworks and rules, and the last refusal. */
  describe() {
    const set = this.current();
    const error = this.watcher.error();
    return {
      version: this.version,
      packs: set.packs.map(p => ({
        name: p.name,
        rules: p.rules,
        frameworks: p.frameworks,
      })),
      catalogs: [...this.catalogs].map(([name, c]) => ({
        name,
        title: c.title,
        ...(c.version ? { version: c.version } : {}),
        controls: c.controls.size,
      })),
      frameworks: [...this.frameworks.values()].map(f => ({
        id: f.id,
        title: f.title,
        ...(f.version ? { version: f.version } : {}),
        pack: f.pack,
        controls: f.controls,
      })),
      rules: set.rules.map(r => ({ ...r.rule, pack: r.pack })),
      ...(error ? { lastReloadError: error.message } : {}),
    };
  }
}
