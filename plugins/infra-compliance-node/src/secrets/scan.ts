import fs from 'node:fs';
import path from 'node:path';
import { secretFingerprint } from './classify';
import { SECRET_DETECTORS, secretlintDetector } from './detectors';
import { codeCandidates } from './hcl';
import { linesOfCandidates, planCandidates, stateCandidates } from './json';
import { secretlint } from './secretlint';
import { SecretFinding, SecretScanOptions, SecretSource } from './types';

/** Files larger than this are skipped with a note (state files can be hundreds of MB). */
export const DEFAULT_MAX_SECRET_SCAN_BYTES = 256 * 1024 * 1024;

const SEVERITY = new Map(SECRET_DETECTORS.map(d => [d.id, d.severity]));

/** What kind of Terraform file a name and its JSON say it is. */
export function sourceOf(file: string, json?: unknown): SecretSource {
  const name = path.basename(file).toLowerCase();
  if (name.endsWith('.tf')) return 'code';
  if (name.endsWith('.tfvars')) return 'tfvars';
  if (name.endsWith('.tfstate') || name.endsWith('.tfstate.backup'))
    return 'state';
  const doc = json as Record<string, unknown> | undefined;
  if (doc && typeof doc === 'object') {
    if (doc.version === 4 && Array.isArray(doc.resources)) return 'state';
    if (
      'format_version' in doc &&
      ('resource_changes' in doc || 'planned_values' in doc)
    )
      return 'plan';
  }
  return 'text';
}

/** A file the scanner read nothing from, and why (binary, too large, unparsable). */
export type SkippedFile = { file: string; reason: string };

/** What a scan of one text found. */
export type SecretTextScan = {
  source: SecretSource;
  findings: SecretFinding[];
  /** Why the Terraform-aware part could not run (a state or plan that is not JSON; the text was
   * still read by secretlint). */
  warning?: string;
};

/**
 * Scans one file's text for secrets: secretlint's token formats over the text, and by the kind
 * of file the Terraform-aware detectors (state: every resource attribute and sensitive output;
 * plan: values, changes, outputs and sensitive variables; `.tf` and `.tfvars`, read line by line
 * so that code that does not parse is read too: literals given to secret-named attributes,
 * entries and sensitive variables). One finding per line and
 * fingerprint, the most specific detector kept. Values never leave this function.
 */
export async function scanSecretsInText(
  file: string,
  text: string,
  options: SecretScanOptions,
): Promise<SecretTextScan> {
  const findings = new Map<string, SecretFinding>();
  const add = (f: SecretFinding) => {
    const key = `${f.line}\u0000${f.fingerprint}`;
    if (!findings.has(key)) findings.set(key, f);
  };
  let source: SecretSource = sourceOf(file);
  let warning: string | undefined;
  // The caller may have parsed it already (discovery reads the state it scans): not twice.
  let json: unknown = options.parsed;
  if (json !== undefined) {
    source = sourceOf(file, json);
  } else if (source === 'state' || source === 'text') {
    if (/^\s*[{[]/.test(text.slice(0, 64))) {
      try {
        json = JSON.parse(text);
        source = sourceOf(file, json);
      } catch (e) {
        if (source === 'state') warning = `not JSON: ${(e as Error).message}`;
      }
    }
  }
  const fingerprint = (value: string) => secretFingerprint(options.salt, value);

  if ((source === 'state' || source === 'plan') && json !== undefined) {
    const candidates =
      source === 'state' ? stateCandidates(json as any) : planCandidates(json);
    const lines = linesOfCandidates(text, candidates);
    for (const c of candidates) {
      add({
        ruleId: c.ruleId,
        severity: SEVERITY.get(c.ruleId) ?? 'high',
        source,
        file,
        line: lines.get(c.path.join('\u0000')) ?? 1,
        ...(c.address ? { address: c.address } : {}),
        ...(c.attribute ? { attribute: c.attribute } : {}),
        fingerprint: fingerprint(c.value),
      });
    }
  } else if (source === 'code' || source === 'tfvars') {
    for (const c of codeCandidates(text, source)) {
      add({
        ruleId: c.ruleId,
        severity: SEVERITY.get(c.ruleId) ?? 'high',
        source,
        file,
        line: c.line,
        ...(c.address ? { address: c.address } : {}),
        ...(c.attribute ? { attribute: c.attribute } : {}),
        fingerprint: fingerprint(c.value),
      });
    }
  }

  if (options.secretlint !== false) {
    const lint = await secretlint();
    for (const m of await lint(text, file)) {
      const detector = secretlintDetector(m.ruleId);
      add({
        ruleId: detector.id,
        severity: detector.severity,
        source,
        file,
        line: m.line,
        fingerprint: fingerprint(text.slice(m.range[0], m.range[1])),
      });
    }
  }
  const order = [...findings.values()].sort(
    (a, b) => a.line - b.line || a.ruleId.localeCompare(b.ruleId),
  );
  return { source, findings: order, ...(warning ? { warning } : {}) };
}

/** Directories never scanned: version control, dependencies, Terraform's provider cache. */
const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform']);

/** What a scan of files found, and what it could not read. */
export type SecretScanReport = {
  files: number;
  findings: SecretFinding[];
  skipped: SkippedFile[];
  warnings: SkippedFile[];
};

/**
 * Scans a file or a directory (recursively, without `.git`, `node_modules`, `.terraform`):
 * Terraform code, tfvars, plans and state by their kind, every other text file with secretlint.
 * Binary files and files over `maxBytes` are skipped with the reason. Paths in findings are
 * relative to `root` (the directory scanned, or the file's directory).
 */
export async function scanSecretsPath(
  target: string,
  options: SecretScanOptions & { maxBytes?: number },
): Promise<SecretScanReport & { root: string }> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SECRET_SCAN_BYTES;
  const stat = fs.statSync(target);
  const root = stat.isDirectory() ? target : path.dirname(target);
  const files: string[] = [];
  if (stat.isDirectory()) {
    const walk = (dir: string) => {
      for (const e of fs
        .readdirSync(dir, { withFileTypes: true })
        .sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name)) walk(full);
        } else if (e.isFile()) files.push(full);
      }
    };
    walk(target);
  } else files.push(target);

  const report: SecretScanReport = {
    files: 0,
    findings: [],
    skipped: [],
    warnings: [],
  };
  for (const full of files) {
    const file =
      path.relative(root, full).split(path.sep).join('/') ||
      path.basename(full);
    const size = fs.statSync(full).size;
    if (size > maxBytes) {
      report.skipped.push({
        file,
        reason: `${Math.ceil(size / 1024 / 1024)} MB is over the ${Math.floor(
          maxBytes / 1024 / 1024,
        )} MB limit (--max-megabytes)`,
      });
      continue;
    }
    const bytes = fs.readFileSync(full);
    if (bytes.subarray(0, 8192).includes(0)) {
      report.skipped.push({ file, reason: 'binary' });
      continue;
    }
    report.files++;
    const scanned = await scanSecretsInText(
      file,
      bytes.toString('utf8'),
      options,
    );
    report.findings.push(...scanned.findings);
    if (scanned.warning)
      report.warnings.push({ file, reason: scanned.warning });
  }
  return { ...report, root };
}
