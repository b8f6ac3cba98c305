import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { INFRA_TENANT_ANNOTATION } from '@infra-hub/plugin-infra-security-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';

/** The chat page's link for a question about `entity`. */
export function askAboutLink(entity: {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    annotations?: Record<string, string>;
  };
}) {
  const tenant = entity.metadata.annotations?.[INFRA_TENANT_ANNOTATION] ?? '';
  const ref = stringifyEntityRef({
    kind: entity.kind,
    namespace: entity.metadata.namespace,
    name: entity.metadata.name,
  });
  const name = entity.metadata.title ?? entity.metadata.name;
  const params = new URLSearchParams({
    tenant,
    entity: ref,
    q: `What should I know about ${name}: its drift, changes, findings and exposure?`,
  });
  return `/infra-chat?${params}`;
}

/**
 * "Ask about this" on an entity of a tenant: opens the chat with a question about the entity,
 * whose items rank first in the answer.
 *
 * @public
 */
export function AskAboutEntityCard() {
  const { entity } = useEntity();
  return (
    <InfoCard title="Ask about this">
      <Typography variant="body2" paragraph>
        Ask the infra chat about {entity.metadata.title ?? entity.metadata.name}
        : its drift, change requests and approvals, findings and exposure,
        answered with sources from what you may read.
      </Typography>
      <Button variant="outlined" color="primary" href={askAboutLink(entity)}>
        Ask about this
      </Button>
    </InfoCard>
  );
}
