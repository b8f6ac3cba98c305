export { DiscoveryPage } from './DiscoveryPage';
