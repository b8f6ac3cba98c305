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
export function secretlint(): Promise<Lint> {
  if (loaded) return loaded;
  loaded = (async () => {
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
