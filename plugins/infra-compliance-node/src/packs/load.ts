import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { PackError, parsePack, ParsedPack } from './parse';
import { compileRuleSet, RuleSet } from './ruleSet';

/** The directory of the packs this package ships (AWS rules and the frameworks they map to). @public */
export function builtInPacksDirectory(): string {
  return resolvePackagePath('@infra-hub/plugin-infra-compliance-node', 'packs');
}

const isPackFile = (name: string) =>
  name.endsWith('.yaml') || name.endsWith('.yml');

/** The pack files of locations: a directory's `.yaml`/`.yml` files (not its subfolders), or a file. */
export function packFiles(locations: string[]): string[] {
  const files: string[] = [];
  for (const location of locations) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(location);
    } catch {
      throw new PackError(location, 1, 'no such file or directory');
    }
    if (stat.isDirectory()) {
      files.push(
        ...fs
          .readdirSync(location)
          .filter(isPackFile)
          .sort()
          .map(name => path.join(location, name)),
      );
    } else files.push(location);
  }
  return files;
}

/**
 * Reads and compiles the packs at locations (see {@link packFiles}); the first problem is a
 * {@link PackError} naming file and line.
 *
 * @public
 */
export function loadRuleSet(locations: string[]): RuleSet {
  const parsed: ParsedPack[] = packFiles(locations).map(file =>
    parsePack(fs.readFileSync(file, 'utf8'), file),
  );
  return compileRuleSet(parsed);
}

/** What a {@link RulePackWatcher} reports after each (re)load. @public */
export type PackReload =
  | { ok: true; rules: number; frameworks: number; packs: string[] }
  | { ok: false; error: PackError };

/**
 * The rule set of some locations, kept current: the locations are watched and re-read when a file
 * changes; a set that does not compile is refused (reported, with file and line) and the previous
 * one stays active.
 *
 * @public
 */
export class RulePackWatcher {
  private active: RuleSet;
  private lastError: PackError | undefined;
  private watchers: fs.FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** Loads the locations now; throws if they do not compile (there is no previous set yet). */
  constructor(
    private readonly locations: string[],
    private readonly onReload: (outcome: PackReload) => void = () => {},
  ) {
    this.active = loadRuleSet(locations);
  }

  /** The active rule set. */
  current(): RuleSet {
    return this.active;
  }

  /** The problem of the last reload that was refused, until one succeeds. */
  error(): PackError | undefined {
    return this.lastError;
  }

  /** Re-reads the locations now; keeps the previous set when they do not compile. */
  reload(): PackReload {
    let outcome: PackReload;
    try {
      const next = loadRuleSet(this.locations);
      this.active = next;
      this.lastError = undefined;
      outcome = {
        ok: true,
        rules: next.rules.length,
        frameworks: next.frameworks.size,
        packs: next.packs.map(p => p.name),
      };
    } catch (e) {
      const error =
        e instanceof PackError
          ? e
          : new PackError(
              this.locations.join(', '),
              1,
              String((e as Error).message),
            );
      this.lastError = error;
      outcome = { ok: false, error };
    }
    this.onReload(outcome);
    return outcome;
  }

  /** Watches the locations; a change reloads after `debounceMs` of quiet. */
  watch(debounceMs = 200): void {
    if (this.watchers.length) return;
    for (const location of this.locations) {
      const watcher = fs.watch(location, () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.reload(), debounceMs);
      });
      // A watched location that goes away: reload now, which reports it and keeps the rules.
      watcher.on('error', () => this.reload());
      this.watchers.push(watcher);
    }
  }

  close(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }
}
