import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
} from '@backstage/core-components';
import {
  configApiRef,
  discoveryApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { DEV_SIGN_IN_KEY, ProxyIdentity } from './ProxyIdentity';

/**
 * Development sign-in: the guest, or one of the demo users of auth.providers.demo.users, each
 * holding the roles the demo estate gives them. A reload keeps the choice.
 */
export function DevSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const discoveryApi = useApi(discoveryApiRef);
  const hasGuest = config.has('auth.providers.guest');
  const demoUsers =
    config.getOptionalStringArray('auth.providers.demo.users') ?? [];
  const [restoring, setRestoring] = useState(true);
  const [error, setError] = useState<Error>();
  const { onSignInSuccess } = props;

  const signIn = async (provider: 'guest' | 'demo', userRef?: string) => {
    setError(undefined);
    try {
      onSignInSuccess(
        await ProxyIdentity.signIn(discoveryApi, provider, userRef),
      );
    } catch (e) {
      setError(e as Error);
    }
  };

  useEffect(() => {
    const saved = localStorage.getItem(DEV_SIGN_IN_KEY);
    if (!saved) {
      setRestoring(false);
      return;
    }
    const { provider, userRef } = JSON.parse(saved);
    ProxyIdentity.signIn(discoveryApi, provider, userRef)
      .then(identity => onSignInSuccess(identity))
      .catch(() => {
        localStorage.removeItem(DEV_SIGN_IN_KEY);
        setRestoring(false);
      });
  }, [discoveryApi, onSignInSuccess]);

  if (restoring) return <Progress />;
  return (
    <Page themeId="home">
      <Header title="Infra Hub" subtitle="Development sign-in" />
      <Content>
        <Grid container spacing={3}>
          {hasGuest && (
            <Grid item xs={12} md={4}>
              <InfoCard
                title="Guest"
                subheader="Signs in as user:default/guest"
              >
                <Typography variant="body2" paragraph>
                  The guest administers Cartwheel Commerce and audits Harbor
                  Trust Bank.
                </Typography>
                <Button
                  variant="outlined"
                  color="primary"
                  onClick={() => signIn('guest')}
                >
                  Enter
                </Button>
              </InfoCard>
            </Grid>
          )}
          {demoUsers.length > 0 && (
            <Grid item xs={12} md={8}>
              <InfoCard
                title="Demo users"
                subheader="Try the roles of the demo estate's people"
              >
                <List dense>
                  {demoUsers.map(ref => (
                    <ListItem
                      key={ref}
                      button
                      onClick={() => signIn('demo', ref)}
                    >
                      <ListItemText
                        primary={`Sign in as ${ref.replace(
                          /^user:default\//,
                          '',
                        )}`}
                        secondary={ref}
                      />
                    </ListItem>
                  ))}
                </List>
              </InfoCard>
            </Grid>
          )}
          {error && (
            <Grid item xs={12}>
              <Typography color="error">{error.message}</Typography>
            </Grid>
          )}
        </Grid>
      </Content>
    </Page>
  );
}
