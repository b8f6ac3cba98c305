import fs from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import {
  verifyComplianceEvidence,
  verifyEvidenceBundle,
} from '@infra-hub/plugin-infra-change-common';
import { FRONTEND_URL, startLocalModel, startPortal } from './portal';

const root = path.resolve(__dirname, '../../..');
const shots = path.join(root, 'e2e-screenshots');

function chromiumPath() {
  const found = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ]
    .filter((p): p is string => Boolean(p))
    .find(p => fs.existsSync(p));
  if (!found) throw new Error('no Chromium: install it or set CHROMIUM_PATH');
  return found;
}

let stopPortal: () => Promise<void>;
let stopModel: (() => Promise<void>) | undefined;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true });
  // The chat's model is the local OpenAI-protocol one, so the browser sees narrated answers,
  // tool calls, the usage log and a policy refusal (the demo's Harbor allows no chat).
  const model = await startLocalModel(7080, path.join(shots, 'model.log'));
  stopModel = model.stop;
  stopPortal = await startPortal(path.join(shots, 'portal.log'), {
    APP_CONFIG_infra_chat_model: JSON.stringify({
      baseUrl: model.url,
      chatModel: 'local-model',
    }),
  });
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(60_000);
}, 360_000);

/** A browser context of its own, signed in as a demo user. */
async function signInAs(user: string) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  const p = await context.newPage();
  p.setDefaultTimeout(60_000);
  await p.goto(FRONTEND_URL);
  await p.getByText(`Sign in as ${user}`).click();
  await p.getByRole('link', { name: 'Infra Admin' }).waitFor();
  return { context, p };
}

afterAll(async () => {
  await browser?.close();
  await stopPortal?.();
  await stopModel?.();
}, 60_000);

describe('the portal in a browser', () => {
  it('signs in as guest and lands on the catalog', async () => {
    await page.goto(FRONTEND_URL);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByRole('link', { name: 'Storefront Web' }).waitFor();
    await page.getByRole('link', { name: 'Ledger Service' }).waitFor();
    await page.screenshot({ path: path.join(shots, '01-catalog.png') });
  });

  it("finds a demo tenant's service and opens its entity page", async () => {
    await page.getByPlaceholder('Search').first().fill('ledger');
    await page.getByRole('link', { name: 'Ledger Service' }).click();
    await page.waitForURL(
      /\/catalog\/default\/component\/harbor-ledger-service/,
    );
    await page
      .getByText('Double-entry account ledger', { exact: false })
      .first()
      .waitFor();
    // The About card links the service to its system and owning team of the Harbor tenant.
    await page.getByRole('link', { name: 'Core Banking' }).first().waitFor();
    await page
      .getByRole('link', { name: 'Harbor Trust Bank Engineering' })
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(shots, '02-entity.png') });
  });

  it('lists both client tenants as domains', async () => {
    await page.goto(`${FRONTEND_URL}/?filters[kind]=domain`);
    await page.getByText('Cartwheel Commerce', { exact: true }).waitFor();
    await page.getByText('Harbor Trust Bank', { exact: true }).waitFor();
    await page.screenshot({ path: path.join(shots, '03-domains.png') });
  });

  it('shows the Infra Hub page with the features this portal runs', async () => {
    await page.getByRole('link', { name: 'Infra Hub' }).first().click();
    await page.getByText(/^Infra Hub \d+\.\d+\.\d+$/).waitFor();
    const portalRow = page.getByRole('row').filter({ hasText: 'Portal' });
    await expect(portalRow.getByText('Enabled').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(shots, '04-infra-hub.png') });
  });

  it('administers the tenant the guest manages and only audits the other', async () => {
    await page.goto(`${FRONTEND_URL}/infra-admin`);
    await page.getByRole('tab', { name: 'Members and roles' }).waitFor();
    await page.getByText('user:default/priya.shah').first().waitFor();
    await page.screenshot({ path: path.join(shots, '05-admin-members.png') });

    await page.getByRole('tab', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('e2e-pipeline');
    await page.getByRole('button', { name: 'Create key' }).click();
    const token = await page.getByTestId('new-api-key-token').textContent();
    expect(token).toMatch(/^sk_cartwheel\.[A-Za-z0-9]{16}\./);
    await page
      .getByRole('button', { name: 'Revoke key e2e-pipeline' })
      .waitFor();
    await page.screenshot({ path: path.join(shots, '06-admin-api-key.png') });

    // The key works against the backend until it is revoked in the page.
    const call = () =>
      fetch(
        'http://localhost:7007/api/infra-security/tenants/cartwheel/workspaces',
        {
          headers: { Authorization: `Bearer ${token}` },
        },
      );
    expect((await call()).status).toBe(200);
    await page.getByRole('button', { name: 'Revoke key e2e-pipeline' }).click();
    await page.getByText(/^Revoked /).waitFor();
    expect((await call()).status).toBe(401);

    await page.getByRole('tab', { name: 'Audit log' }).click();
    await page.getByText('api-key.revoked').first().waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText(/The hash chain holds/).waitFor();
    await page.screenshot({ path: path.join(shots, '07-admin-audit.png') });

    // In Harbor the guest is an auditor: no keys, no credentials.
    await page.locator('#admin-tenant').click();
    await page.getByRole('option', { name: 'Harbor Trust Bank' }).click();
    await page.getByRole('tab', { name: 'Audit log' }).waitFor();
    await expect(
      page.getByRole('tab', { name: 'API keys' }).count(),
    ).resolves.toBe(0);
    await expect(
      page.getByRole('tab', { name: 'Credentials' }).count(),
    ).resolves.toBe(0);
    await page.screenshot({ path: path.join(shots, '08-admin-harbor.png') });
  });

  it('shows the discovered Cartwheel inventory and its attack paths', async () => {
    // The demo's state files are discovered ten seconds after the backend starts.
    for (let i = 0; i < 30; i++) {
      await page.goto(`${FRONTEND_URL}/infra-discovery`);
      await page.getByRole('tab', { name: 'Inventory' }).waitFor();
      if (await page.getByText(/^Assets \(\d+\)$/).count()) break;
      await page.waitForTimeout(2000);
    }
    await page.getByText('cartwheel-prod-order-exports').first().waitFor();
    await page.screenshot({ path: path.join(shots, '11-inventory.png') });
    await page.getByRole('tab', { name: 'Attack paths' }).click();
    const paths = page.getByTestId('attack-path');
    await paths.first().waitFor();
    const texts = await paths.allTextContents();
    expect(
      texts.some(
        t =>
          t.includes('cartwheel-storefront-web-1') &&
          t.includes('cartwheel-prod-order-exports'),
      ),
    ).toBe(true);
    await page.screenshot({ path: path.join(shots, '12-attack-paths.png') });
  });

  it('opens an asset with its graph, and runs a source with its job listed', async () => {
    await page.getByRole('tab', { name: 'Inventory' }).click();
    await page.locator('#inventory-search').fill('order-exports');
    await page.getByText('cartwheel-prod-order-exports').first().click();
    await page.getByTestId('asset-attributes').waitFor();
    await expect(
      page.getByTestId('asset-attributes').textContent(),
    ).resolves.toContain('"bucket": "cartwheel-prod-order-exports"');
    await page.getByTestId('asset-graph-node').first().waitFor();
    expect(await page.getByTestId('asset-graph-node').count()).toBeGreaterThan(
      1,
    );
    await page.screenshot({ path: path.join(shots, '13-asset-graph.png') });

    await page.getByRole('button', { name: 'Back to inventory' }).click();
    await page.getByRole('tab', { name: 'Sources and jobs' }).click();
    await page.getByText('Storefront production (Terraform state)').waitFor();
    await page.getByTestId('job-status-succeeded').first().waitFor();
    const before = await page.getByTestId(/^job-status-/).count();
    await page.getByTestId('run-storefront-prod').click();
    await page
      .getByText('Started Storefront production (Terraform state)')
      .waitFor();
    await expect
      .poll(() => page.getByTestId(/^job-status-/).count(), { timeout: 30_000 })
      .toBe(before + 1);
    await page.screenshot({ path: path.join(shots, '14-sources-jobs.png') });
  });

  it('shows a discovered bucket in the catalog with its Infrastructure tab', async () => {
    // The catalog module publishes the discovered assets shortly after start; the asset's page
    // links to its entity once the catalog has it.
    const link = page.getByTestId('asset-catalog-link').getByRole('link');
    for (let i = 0; i < 30; i++) {
      await page.goto(`${FRONTEND_URL}/infra-discovery`);
      await page.locator('#inventory-search').fill('order-exports');
      await page.getByText('cartwheel-prod-order-exports').first().click();
      await page.getByTestId('asset-attributes').waitFor();
      await page.waitForTimeout(1500);
      if (await link.count()) break;
    }
    await link.click();
    await page.waitForURL(
      /\/catalog\/cartwheel\/resource\/s3-bucket-cartwheel-prod-order-exports-[0-9a-f]{8}/,
    );
    // The entity's Relations card shows what the catalog made of the asset's relationships.
    await page.getByText('dependsOn').first().waitFor();
    await page.screenshot({ path: path.join(shots, '15-entity-overview.png') });
    // Entity page tabs are links; this one is the suite's entity content.
    await page.locator('a[href$="/infrastructure"]').click();
    await page.getByTestId('asset-attributes').waitFor();
    await page.getByText(/^Relationships \(\d+\)$/).waitFor();
    await page.getByText(/^Attack paths through this asset \(\d+\)$/).waitFor();
    await page.getByTestId('attack-path').first().waitFor();
    await page.screenshot({
      path: path.join(shots, '16-entity-infrastructure.png'),
    });
  });

  it("shows a Terraform module's interface, read from its code, on its Module tab", async () => {
    await page.goto(
      `${FRONTEND_URL}/catalog/default/component/cartwheel-storefront-edge/module`,
    );
    await page.getByText('Inputs (3)').waitFor();
    await page
      .getByText('bucket_name must be a valid S3 bucket name.')
      .waitFor();
    await expect(
      page.getByTestId('required-version').textContent(),
    ).resolves.toBe('Terraform >= 1.6.0');
    await page.screenshot({ path: path.join(shots, '17-entity-module.png') });
  });

  it("shows a service's infrastructure: its system's modules with their drift, and its findings", async () => {
    await page.goto(
      `${FRONTEND_URL}/catalog/default/component/cartwheel-checkout/infrastructure`,
    );
    await page.getByText(/^Terraform modules \(\d+\)$/).waitFor();
    // It depends on storefront-prod, whose seeded plan drifted: its row says by how much.
    await expect(
      page.getByTestId('module-drift').first().textContent(),
    ).resolves.toMatch(/^[1-9]\d* drifted resource\(s\)$/);
    await page.getByTestId('service-findings').waitFor();
    await page.screenshot({
      path: path.join(shots, '17b-service-infrastructure.png'),
    });
  });

  it("shows a module's runs on its Pipelines tab with the plan a run uploaded, and every provider on the Pipelines page", async () => {
    // The recorded deliveries arrive through the webhook route once the catalog holds the
    // entities that claim them.
    const tab = `${FRONTEND_URL}/catalog/default/component/cartwheel-storefront-prod/pipelines`;
    await page.goto(tab);
    for (let i = 0; i < 6; i++) {
      try {
        await page.getByText('terraform #2').waitFor({ timeout: 10_000 });
        break;
      } catch {
        await page.goto(tab);
      }
    }
    await page.getByRole('table', { name: 'Pipeline runs' }).waitFor();
    await page.getByText('terraform #3').waitFor();
    await page.getByRole('img', { name: 'Durations over time' }).waitFor();
    await page.screenshot({
      path: path.join(shots, '17e-entity-pipelines.png'),
    });
    await page.getByText('terraform #2').click();
    await page.getByText('Plans of this run').waitFor();
    await page.getByText(/Module storefront-prod/).waitFor();
    await page.getByText('checks').waitFor();
    await page.screenshot({ path: path.join(shots, '17f-pipeline-run.png') });

    await page.goto(`${FRONTEND_URL}/infra-pipelines`);
    await page.getByRole('table', { name: 'Pipeline runs' }).waitFor();
    for (const provider of ['GitHub Actions', 'GitLab CI', 'Azure DevOps']) {
      await page.getByRole('cell', { name: provider }).first().waitFor();
    }
    // Failed runs first.
    await expect(page.getByRole('row').nth(1).textContent()).resolves.toMatch(
      /^failed/,
    );
    await page.screenshot({ path: path.join(shots, '17g-pipelines-page.png') });
    // The failed run, diagnosed (narrated by the local model of this portal).
    await page.getByText('terraform #3', { exact: true }).click();
    await page.getByRole('button', { name: 'Diagnose the failure' }).click();
    const diagnosis = page.getByLabel('Diagnosis');
    await diagnosis.getByText('Machine-written').waitFor();
    await diagnosis.getByText(/Failed job: plan/).waitFor();
    await page.screenshot({ path: path.join(shots, '17h-run-diagnosis.png') });
  });

  it('creates a Terraform module from a golden path: published, registered and in the catalog with its interface', async () => {
    await page.goto(`${FRONTEND_URL}/create`);
    // The innermost card with the template's title (cards may sit in a grouping card).
    const card = page
      .locator('.MuiCard-root')
      .filter({ hasText: 'AWS S3 bucket (Terraform module)' })
      .last();
    await card.waitFor();
    await card.getByRole('button', { name: /choose/i }).click();

    await page.getByLabel(/^Name/).fill('e2e-orders-exports');
    await page
      .getByLabel(/^Description/)
      .fill('Exports of orders for the finance team, from the browser test.');
    // Only the guest's tenants are offered: Cartwheel (tenant-admin) and Harbor (auditor).
    await page.getByLabel(/^Tenant/).click();
    const tenants = page.getByRole('listbox').getByRole('option');
    await expect(tenants.allTextContents()).resolves.toEqual([
      'Cartwheel Commerce (cartwheel)',
      'Harbor Trust Bank (harbor-bank)',
    ]);
    await tenants.filter({ hasText: 'cartwheel' }).click();
    await page.getByLabel(/^System/).click();
    await page
      .getByRole('listbox')
      .getByRole('option', { name: 'Payments and Orders' })
      .click();
    const owner = page.locator('input#root_owner');
    await owner.click();
    await owner.fill('Cartwheel Commerce');
    await page
      .getByRole('option', { name: /Cartwheel Commerce Engineering/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Days old object versions are kept').waitFor();
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();

    // The task runs every step: check, scan, publish, register.
    await page
      .getByRole('link', { name: 'Open in catalog' })
      .or(page.getByRole('button', { name: 'Open in catalog' }))
      .first()
      .waitFor({ timeout: 90_000 });
    // The scan summary, in the task output (and in the log when it is open).
    await page
      .getByText(/0 failing rules, 0 secrets/)
      .first()
      .waitFor();
    await page.screenshot({
      path: path.join(shots, '17c-golden-path-task.png'),
    });

    // The catalog reads the new repository: the Module tab shows its inputs and outputs.
    for (let attempt = 0; ; attempt++) {
      await page.goto(
        `${FRONTEND_URL}/catalog/default/component/e2e-orders-exports/module`,
      );
      try {
        await page.getByText('Inputs (5)').waitFor({ timeout: 5_000 });
        break;
      } catch (e) {
        if (attempt > 15) throw e;
      }
    }
    await page
      .getByText('noncurrent_version_expiration_days')
      .first()
      .waitFor();
    await page.screenshot({
      path: path.join(shots, '17d-golden-path-module.png'),
    });
  });

  it('shows a drifted module, takes its change through the CAB with two demo users, and verifies the evidence', async () => {
    // The demo's drifted plans are uploaded at first start.
    await page.goto(`${FRONTEND_URL}/infra-change`);
    await page.getByRole('tab', { name: 'Drift' }).click();
    await expect(
      page.getByTestId('drifted-storefront-prod').textContent(),
    ).resolves.toBe('3');
    await page.screenshot({ path: path.join(shots, '17-drift-dashboard.png') });

    // The module's entity has a Changes tab with the same drift; the guest (tenant admin of
    // Cartwheel) asks for the change there.
    await page.goto(
      `${FRONTEND_URL}/catalog/default/component/cartwheel-storefront-prod/changes`,
    );
    await page.getByTestId('plan-summary').waitFor();
    expect(
      await page.getByTestId('resource-diff').count(),
    ).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: path.join(shots, '18-entity-changes.png') });
    await page
      .getByLabel('Rollback note')
      .fill('Re-apply the storefront-prod plan of the previous release tag.');
    await page.getByRole('button', { name: 'Request change' }).click();
    await expect(page.getByTestId('change-state').textContent()).resolves.toBe(
      'pending approval',
    );

    // Two demo users approve it in the CAB queue; each approval is signed.
    const approveAs = async (user: string) => {
      const { context, p } = await signInAs(user);
      await p.goto(`${FRONTEND_URL}/infra-change`);
      await p.getByTestId('state-pending_approval').first().click();
      await p.getByLabel('Comment').fill(`Reviewed by ${user}`);
      await p.getByRole('button', { name: 'Approve', exact: true }).click();
      await p.getByText(`Reviewed by ${user}`).waitFor();
      await p.screenshot({
        path: path.join(shots, `19-approved-by-${user}.png`),
      });
      await context.close();
    };
    await approveAs('tomas.novak');
    await approveAs('alex.morgan');

    await page.goto(`${FRONTEND_URL}/infra-change`);
    await page.getByTestId('state-approved').first().click();
    await expect
      .poll(() => page.getByTestId('signature-status').allTextContents(), {
        timeout: 30_000,
      })
      .toEqual(['signature valid (ML-DSA-65)', 'signature valid (ML-DSA-65)']);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download evidence' }).click(),
    ]);
    const file = path.join(shots, 'evidence.json');
    await download.saveAs(file);
    // What `yarn infra-verify --trust <first key>` checks, with nothing but the downloaded file:
    // this fresh installation's first key signed everything; any other anchor refuses it.
    const text = fs.readFileSync(file, 'utf8');
    const firstKey = JSON.parse(text).keyHistory.items[0].keyId;
    const result = verifyEvidenceBundle(text, { trustKeyId: firstKey });
    expect(result.checks.filter(c => !c.ok)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(
      verifyEvidenceBundle(text, { trustKeyId: 'mldsa65:not-this-one' }).valid,
    ).toBe(false);
    await page.screenshot({ path: path.join(shots, '20-change-approved.png') });
  });

  it("shows Cartwheel's compliance posture down to a finding, and a system's Compliance tab", async () => {
    // The tenant is evaluated a few seconds after discovery; look until the posture is there.
    const nist = page.getByText('NIST SP 800-53 rev 5', { exact: true });
    for (let i = 0; i < 30 && !(await nist.count()); i++) {
      await page.goto(`${FRONTEND_URL}/infra-compliance`);
      await page.waitForTimeout(2000);
    }
    await expect(
      page.getByTestId('open-critical').textContent(),
    ).resolves.toMatch(/^[1-9]\d*$/);
    await page.screenshot({
      path: path.join(shots, '21-compliance-posture.png'),
    });

    await nist.click();
    await page.getByTestId('trend-chart').waitFor();
    await page.getByText('Boundary Protection', { exact: true }).click();
    await page.getByText(/^Findings of sc-7 \(\d+\)$/).waitFor();
    await page.screenshot({
      path: path.join(shots, '22-compliance-control.png'),
    });
    // The control's newest signed evidence, verified offline as `infra-verify --trust` would:
    // both signatures (ML-DSA-65 and Ed25519) by this installation's first key.
    const [evidence] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download signed evidence' }).click(),
    ]);
    const evidenceFile = path.join(shots, 'compliance-evidence-sc-7.json');
    await evidence.saveAs(evidenceFile);
    const bundleText = fs.readFileSync(evidenceFile, 'utf8');
    const bundle = JSON.parse(bundleText);
    expect(bundle.scope).toEqual({
      framework: 'nist-800-53-r5',
      control: 'sc-7',
    });
    const verified = verifyComplianceEvidence(bundleText, {
      trustKeyId: bundle.keyHistory.items[0].keyId,
    });
    expect(verified.checks.filter(c => !c.ok)).toEqual([]);
    expect(verified.valid).toBe(true);
    await page
      .getByText('Security group does not admit SSH from the internet')
      .first()
      .click();
    await expect(
      page.getByTestId('remediation').textContent(),
    ).resolves.toMatch(/port 22/);
    await page.getByRole('button', { name: 'Accept risk' }).waitFor();
    await page.screenshot({
      path: path.join(shots, '23-compliance-finding.png'),
    });

    // Every evaluation's evidence, sealed.
    await page.goto(`${FRONTEND_URL}/infra-compliance`);
    await page.getByRole('tab', { name: 'Evidence' }).click();
    await page
      .getByText(/^Sealed by mldsa65:/)
      .first()
      .waitFor();
    await page.screenshot({
      path: path.join(shots, '23b-compliance-evidence.png'),
    });

    // The storefront system's own findings, on its entity page.
    await page.goto(
      `${FRONTEND_URL}/catalog/default/system/cartwheel-storefront/compliance`,
    );
    await page
      .getByText(/^Findings of system cartwheel-storefront \([1-9]\d*\)$/)
      .waitFor();
    await page.screenshot({
      path: path.join(shots, '24-entity-compliance.png'),
    });

    // The findings are catalog entities of kind Finding too, with their owner and resource.
    const title =
      'Security group does not admit SSH from the internet: cartwheel-web';
    const link = page.getByRole('link', { name: title });
    for (let i = 0; i < 20 && !(await link.count()); i++) {
      await page.goto(`${FRONTEND_URL}/?filters[kind]=finding`);
      await page.getByPlaceholder('Search').first().fill('admit SSH');
      await page.waitForTimeout(1500);
    }
    await page.getByRole('link', { name: title }).first().click();
    await page.waitForURL(
      /\/catalog\/cartwheel\/finding\/aws-sg-ssh-open-[0-9a-f]{12}/,
    );
    await page
      .getByRole('link', { name: /cartwheel-engineering|Cartwheel/ })
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(shots, '25-finding-entity.png') });
  });

  it('answers a conversation about drift, approvals and exposure with cited sources, per tenant', async () => {
    // The chat indexes the estate shortly after start; wait until the page says it has.
    const indexed = page.getByText(/[1-9]\d* items indexed/);
    for (let i = 0; i < 30 && !(await indexed.count()); i++) {
      await page.goto(`${FRONTEND_URL}/infra-chat`);
      await page.waitForTimeout(2000);
    }
    await indexed.waitFor();
    await page.getByText('Ask about your infrastructure').waitFor();
    await page
      .getByLabel('Your question')
      .fill('Which modules drifted and who approved the last change to them?');
    await page.getByRole('button', { name: 'Ask' }).click();
    // No model here: the passages found, cited, and the suite's own tables.
    const drift = page.getByRole('table', { name: 'Drift by module' });
    await drift.waitFor();
    expect(await drift.textContent()).toContain('storefront-prod');
    const changes = page.getByRole('table', { name: 'Change requests' });
    expect(await changes.textContent()).toMatch(
      /approved by user:default\/tomas\.novak .*\(signed\)/,
    );
    // Narrated by the model, which called the tools whose tables these are.
    await page.getByText('Machine-written by local-model').first().waitFor();
    expect(
      await page.getByRole('listitem').filter({ hasText: 'drift' }).count(),
    ).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, '26-chat-drift.png') });

    // A follow-up in the same conversation.
    await page
      .getByLabel('Your question')
      .fill('What is exposed to the internet?');
    await page.getByRole('button', { name: 'Ask' }).click();
    const exposure = page.getByRole('table', {
      name: 'Exposed to the internet',
    });
    await exposure.waitFor();
    expect(await exposure.locator('tbody tr').count()).toBeGreaterThan(0);
    await expect
      .poll(() =>
        page
          .getByRole('button', {
            name: /Delete conversation Which modules drifted/,
          })
          .count(),
      )
      .toBe(1);
    await page.screenshot({ path: path.join(shots, '27-chat-exposure.png') });

    // Harbor's admin asks the same question and is answered from Harbor's estate only.
    const { context, p } = await signInAs('omar.haddad');
    await p.goto(`${FRONTEND_URL}/infra-chat`);
    await p
      .getByLabel('Your question')
      .fill('What is exposed to the internet?');
    await p.getByRole('button', { name: 'Ask' }).click();
    const harbor = p.getByRole('table', { name: 'Exposed to the internet' });
    await harbor.waitFor();
    const answer = await p.locator('main').textContent();
    expect(answer).not.toMatch(/storefront|cartwheel/i);
    // Harbor's policy keeps conversations away from models: answered from the passages found.
    expect(answer).toContain(
      "Not sent to a model: the AI policy of default does not allow the feature 'chat'",
    );
    await p.screenshot({ path: path.join(shots, '28-chat-harbor.png') });
    // Its admin sees the refusal in the usage log on the Governance tab.
    await p.getByRole('tab', { name: 'Governance' }).click();
    const log = p.getByRole('table', { name: 'Usage log' });
    await log.waitFor();
    expect(await log.textContent()).toMatch(
      /omar\.haddad.*refused: the AI policy of default does not allow the feature 'chat'/,
    );
    expect(
      await p.getByRole('table', { name: 'AI policies' }).textContent(),
    ).toContain('plan-summary');
    await p.screenshot({ path: path.join(shots, '30-governance-harbor.png') });
    await context.close();

    // Cartwheel's usage and cost per team and month count the guest's model calls.
    await page.getByRole('tab', { name: 'Governance' }).click();
    const usage = page.getByRole('table', { name: 'Usage per team and month' });
    await usage.waitFor();
    expect(await usage.textContent()).toMatch(/default[1-9]/);
    await page.screenshot({
      path: path.join(shots, '31-governance-cartwheel.png'),
    });

    // The approved change has the chat's machine-written risk assessment on its page.
    await page.goto(`${FRONTEND_URL}/infra-change`);
    await page.getByTestId('state-approved').first().click();
    await page.getByRole('button', { name: 'Assess the risk' }).click();
    const assessment = page.getByTestId('machine-written');
    await assessment.waitFor();
    expect(await assessment.textContent()).toMatch(
      /Machine-written by local-model: informs, never decides.*Risk: critical/s,
    );
    await page.screenshot({ path: path.join(shots, '29-risk-assessment.png') });

    // "Ask about this" on an entity page opens the chat about it.
    await page.goto(
      `${FRONTEND_URL}/catalog/default/component/cartwheel-storefront-prod`,
    );
    await page.getByRole('link', { name: 'Ask about this' }).click();
    await page
      .getByText('About component:default/cartwheel-storefront-prod')
      .waitFor();
    expect(await page.getByLabel('Your question').inputValue()).toMatch(
      /storefront-prod/,
    );
  });

  it('shows each demo user their own tenants and powers', async () => {
    const tenantsFor = async (user: string) => {
      const { context, p } = await signInAs(user);
      await p.goto(`${FRONTEND_URL}/infra-admin`);
      await p.locator('#admin-tenant').click();
      const options = await p.getByRole('option').allTextContents();
      await p.keyboard.press('Escape');
      const tabs = await p.getByRole('tab').allTextContents();
      await p.screenshot({ path: path.join(shots, `09-admin-${user}.png`) });
      await context.close();
      return { options, tabs };
    };

    // Priya administers Cartwheel only.
    expect(await tenantsFor('priya.shah')).toEqual({
      options: ['Cartwheel Commerce'],
      tabs: [
        'Members and roles',
        'Workspaces',
        'API keys',
        'Credentials',
        'Audit log',
      ],
    });
    // Signing out from the settings page returns to the sign-in page, choice forgotten.
    const context = await browser.newContext();
    const p = await context.newPage();
    p.setDefaultTimeout(90_000);
    await p.goto(FRONTEND_URL);
    await p.getByText('Sign in as tomas.novak').click();
    await p.getByRole('link', { name: 'Infra Admin' }).waitFor();
    await p.goto(`${FRONTEND_URL}/settings`);
    await p.getByTestId('user-settings-menu').click();
    await p.getByRole('menuitem', { name: /sign out/i }).click();
    await p.getByText('Demo users').waitFor();
    await p.reload();
    await p.getByText('Demo users').waitFor();
    await context.close();

    // Omar administers Harbor only.
    expect((await tenantsFor('omar.haddad')).options).toEqual([
      'Harbor Trust Bank',
    ]);
    // Li audits both and administers neither.
    expect(await tenantsFor('li.wei')).toEqual({
      options: ['Cartwheel Commerce', 'Harbor Trust Bank'],
      tabs: ['Members and roles', 'Workspaces', 'Audit log'],
    });
    // Maria only reads Cartwheel.
    expect(await tenantsFor('maria.garcia')).toEqual({
      options: ['Cartwheel Commerce'],
      tabs: ['Members and roles', 'Workspaces'],
    });
  });
});
