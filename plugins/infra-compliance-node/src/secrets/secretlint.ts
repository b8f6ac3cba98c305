import type { SecretLintCoreConfig } from '@secretlint/types';

type Lint = (
  text: string,
  file: string,
) => Promise<
  Array<{ ruleId: string; line: number; range: readonly [number, number] }>
>;

let loaded: Promise<Lint> | undefined;

/**
 * secretlint's recommended preset (token formats of AWS, GitHub, GitLab, Slack, npm, private
 * keys, basic auth in URLs and more) as a function of a text. Loaded once, on first use (the
 * packages are ES modules). Messages are asked for masked, and only rule, line and range are
 * kept: never the value.
 */
/**
 * secretlint's profiler marks the start and end of every lint and rule on Node's performance
 * timeline, keeps every mark in a list for the life of the process, and looks each new mark up in
 * that list: memory grows with every file scanned and each scan costs more than the last (most of
 * a long scan's time; in a backend that scans state for weeks, without end). The suite does not
 * read those profiles, so its marks go nowhere. Process-wide, once; idempotent.
 *
 * @public
 */
export async function quietSecretlintProfiler(): Promise<void> {
  const { secretLintProfiler } = await import('@secretlint/profiler');
  (secretLintProfiler as unknown as { perf: unknown }).perf = {
    mark() {},
    measure() {},
  };
}

export function secretlint(): Promise<Lint> {
  if (loaded) return loaded;
  loaded = (async () => {
    await quietSecretlintProfiler();
    const { lintSource } = await import('@secretlint/core');
    const { creator } = await import(
      '@secretlint/secretlint-rule-preset-recommend'
    );
    const config: SecretLintCoreConfig = {
      rules: [
        { id: '@secretlint/secretlint-rule-preset-recommend', rule: creator },
      ],
    };
    return async (text: string, file: string) => {
      const result = await lintSource({
        source: { filePath: file, content: text, contentType: 'text' },
        options: { config, maskSecrets: true, noPhysicFilePath: true },
      });
      return result.messages.map(m => ({
        ruleId: m.ruleId,
        line: m.loc.start.line,
        range: m.range,
      }));
    };
  })();
  return loaded;
}
