import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';

// Every plugin package the app depends on is discovered and installed (app.packages: all in
// app-config.yaml); the modules below customise the app itself.
export default createApp({
  features: [catalogPlugin, navModule, homeModule, signInModule],
});
