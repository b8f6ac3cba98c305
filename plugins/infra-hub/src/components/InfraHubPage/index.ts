export { InfraHubPage } from './InfraHubPage';
