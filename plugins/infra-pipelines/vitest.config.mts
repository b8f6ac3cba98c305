import { infraProject } from '../../vitest.shared.mts';

export default infraProject('web', import.meta.dirname);
