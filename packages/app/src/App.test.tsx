import { render, screen } from '@testing-library/react';

async function renderAppWith(auth: object) {
  process.env = {
    NODE_ENV: 'test',
    APP_CONFIG: [
      {
        data: {
          app: { title: 'Infra Hub', baseUrl: 'http://localhost:3000' },
          backend: { baseUrl: 'http://localhost:7007' },
          auth,
        },
        context: 'test',
      },
    ] as any,
  };
  // A fresh app for every test: the app reads its configuration once.
  vi.resetModules();
  const { default: App } = await import('./App');
  return render(App.createRoot());
}

describe('App', () => {
  it('opens on the sign-in page offering guest sign-in in development', async () => {
    await renderAppWith({
      environment: 'development',
      providers: { guest: {} },
    });
    expect(await screen.findByText('Guest')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
    expect(screen.queryByText('Single sign-on')).not.toBeInTheDocument();
  });

  it('offers the demo users in development', async () => {
    await renderAppWith({
      environment: 'development',
      providers: {
        guest: {},
        demo: { users: ['user:default/priya.shah', 'user:default/li.wei'] },
      },
    });
    expect(
      await screen.findByText('Sign in as priya.shah'),
    ).toBeInTheDocument();
    expect(screen.getByText('Sign in as li.wei')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
  });

  it('offers single sign-on and never the guest in production', async () => {
    await renderAppWith({
      environment: 'production',
      providers: { guest: {}, oidc: { production: {} } },
    });
    expect(await screen.findByText('Single sign-on')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /sign in/i }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });
});
