export { PipelinesPage } from './PipelinesPage';
export {
  EntityPipelinesContent,
  isPipelinesAvailable,
} from './EntityPipelinesContent';
