import { PipelineRunDetail } from '@infra-hub/plugin-infra-pipelines-common';

/** Known causes of failed infrastructure runs, by what their logs say. */
const CAUSES: Array<{ pattern: RegExp; cause: string }> = [
  {
    pattern:
      /AccessDenied|UnauthorizedOperation|not authorized to perform|AuthorizationFailed|\b403\b|Forbidden/i,
    cause:
      'permissions: the identity the job runs as lacks a permission (check the role or service principal the job assumes, and the policy named in the error)',
  },
  {
    pattern:
      /state lock|Error acquiring the state lock|ConditionalCheckFailed/i,
    cause:
      'a Terraform state lock held by another run (wait for it, or force-unlock the lock id in the error once that run is gone)',
  },
  {
    pattern:
      /no valid credential|Invalid provider configuration|NoCredentialProviders|could not find default credentials|ExpiredToken/i,
    cause:
      'provider credentials: the job had none, or they expired (check the OIDC login step and the provider block)',
  },
  {
    pattern:
      /already exists|EntityAlreadyExists|BucketAlreadyExists|BucketAlreadyOwnedByYou/i,
    cause:
      'a resource that already exists outside this state (import it with terraform import, or rename it)',
  },
  {
    pattern:
      /Unsupported (argument|attribute|block)|Missing required argument|Invalid (reference|value|function argument)|Reference to undeclared/i,
    cause:
      'an error in the Terraform configuration (run terraform validate locally; the file and line are in the error)',
  },
  {
    pattern: /timed? ?out|deadline exceeded|ETIMEDOUT|context canceled/i,
    cause:
      'a timeout (a slow resource or an unreachable endpoint; retry, or raise the timeout of the resource)',
  },
  {
    pattern: /tests? failed|assertion|\bFAIL\b/,
    cause: 'failing tests (the failing test and its assertion are in the log)',
  },
  {
    pattern: /infra-scan|infra-secrets|failing rules|secrets? found/i,
    cause:
      'the compliance or secret scan blocked the change (the findings are in the log and in code scanning)',
  },
];

const ERROR_LINE =
  /\b(error|fatal|failed|failure|denied|exception|panic)\b|^Error:/i;

function minutes(ms?: number) {
  if (ms === undefined) return 'an unknown time';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * The deterministic diagnosis of a failed run: which jobs failed, the error lines at the end of
 * their logs (secrets already redacted by the pipelines plugin), the likely cause by the patterns
 * above, and what to do next. The same run gives the same text.
 */
export function diagnoseRun(run: PipelineRunDetail): string {
  const failed = run.jobs.filter(j => j.status === 'failed');
  const lines: string[] = [
    `${run.pipeline}${run.number !== undefined ? ` #${run.number}` : ''} of ${
      run.repository
    } (${run.provider}${run.branch ? `, branch ${run.branch}` : ''}${
      run.commitSha ? `, commit ${run.commitSha.slice(0, 7)}` : ''
    }${run.actor ? `, started by ${run.actor}` : ''}) ${
      run.status
    } after ${minutes(run.durationMs)}.`,
  ];
  if (!failed.length) {
    lines.push(
      run.jobs.length
        ? 'No job is marked failed: the run failed outside its jobs (a cancelled dependency, a workflow error, or an approval that was refused).'
        : 'No jobs were reported for it (a webhook without job events, and no API token to read them).',
    );
  }
  const causes = new Set<string>();
  for (const job of failed) {
    lines.push(`Failed job: ${job.name} (${minutes(job.durationMs)}).`);
    if (!job.logExcerpt) {
      lines.push(
        '   Its log was not read (the connection has no API token, or the provider did not answer).',
      );
      continue;
    }
    const errors = job.logExcerpt
      .split('\n')
      .map(l => l.trim())
      .filter(l => ERROR_LINE.test(l))
      .slice(-8);
    lines.push(
      errors.length
        ? `   Error lines at the end of its log:\n${errors
            .map(e => `     ${e.slice(0, 300)}`)
            .join('\n')}`
        : '   The end of its log holds no error line.',
    );
    for (const { pattern, cause } of CAUSES) {
      if (pattern.test(job.logExcerpt)) causes.add(cause);
    }
  }
  const read = failed.some(j => j.logExcerpt);
  let likely =
    'Likely cause: none of the known causes shows in the log; read the error lines above.';
  if (causes.size) likely = `Likely cause: ${[...causes].join('; or ')}.`;
  else if (!read) {
    likely =
      'Likely cause: not known without a log (give the connection an API token, so the logs of failed jobs are read).';
  }
  lines.push(
    likely,
    'Next: fix the cause, run the pipeline again; if it changed the plan, its new hash needs a new change request and approval before apply.',
  );
  return lines.join('\n');
}
