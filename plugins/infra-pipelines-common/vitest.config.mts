import { infraProject } from '../../vitest.shared.mts';

export default infraProject('node', import.meta.dirname);
