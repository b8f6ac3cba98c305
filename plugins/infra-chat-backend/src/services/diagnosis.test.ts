import { PipelineRunDetail } from '@infra-hub/plugin-infra-pipelines-common';
import { describe, expect, it } from 'vitest';
import { diagnoseRun } from './diagnosis';

const run = (jobs: PipelineRunDetail['jobs']): PipelineRunDetail => ({
  id: 'r1',
  provider: 'github',
  connectionId: 'github',
  repository: 'cartwheel/storefront-infra',
  pipeline: 'terraform',
  externalId: '7003',
  number: 3,
  status: 'failed',
  branch: 'main',
  commitSha: '9f2c1e79f2c1e7',
  actor: 'priya-shah',
  entityRefs: [],
  durationMs: 420_000,
  updatedAt: '2026-12-02T10:00:00Z',
  receivedVia: 'webhook',
  jobs,
});

describe('diagnoseRun', () => {
  it('names the failed job, its error lines and the likely cause', () => {
    const text = diagnoseRun(
      run([
        { id: '1', name: 'checks', status: 'succeeded' },
        {
          id: '2',
          name: 'plan',
          status: 'failed',
          durationMs: 180_000,
          logExcerpt:
            'terraform init\nInitializing...\nError: creating S3 Bucket (orders): operation error S3: CreateBucket, api error AccessDenied: Access Denied\n  with aws_s3_bucket.orders\n',
        },
      ]),
    );
    expect(text).toContain(
      'terraform #3 of cartwheel/storefront-infra (github, branch main, commit 9f2c1e7, started by priya-shah) failed after 7 min 0 s.',
    );
    expect(text).toContain('Failed job: plan (3 min 0 s).');
    expect(text).toMatch(/Error: creating S3 Bucket \(orders\).*AccessDenied/);
    expect(text).not.toContain('Initializing...');
    expect(text).toMatch(/Likely cause: permissions/);
    expect(text).toMatch(/new hash needs a new change request/);
  });

  it('finds each known cause, says when none shows, and when no log was read', () => {
    const cause = (log: string) =>
      diagnoseRun(
        run([{ id: '1', name: 'apply', status: 'failed', logExcerpt: log }]),
      )
        .split('\n')
        .find(l => l.startsWith('Likely cause'));
    expect(
      cause('Error: Error acquiring the state lock\nLock Info: ID 1'),
    ).toMatch(/state lock/);
    expect(cause('Error: No valid credential sources found')).toMatch(
      /provider credentials/,
    );
    expect(cause('Error: creating IAM Role: EntityAlreadyExists')).toMatch(
      /already exists/,
    );
    expect(cause('Error: Unsupported argument on main.tf line 3')).toMatch(
      /Terraform configuration/,
    );
    expect(cause('Error: context deadline exceeded')).toMatch(/timeout/);
    expect(cause('3 tests failed')).toMatch(/failing tests/);
    expect(cause('infra-scan: 2 failing rules at or above high')).toMatch(
      /scan blocked/,
    );
    expect(cause('Error: something odd happened')).toMatch(
      /none of the known causes/,
    );
    const unread = diagnoseRun(
      run([{ id: '1', name: 'plan', status: 'failed' }]),
    );
    expect(unread).toMatch(/Its log was not read/);
    expect(unread).toMatch(/Likely cause: not known without a log/);
    expect(diagnoseRun(run([]))).toMatch(/No jobs were reported/);
  });
});
