import { vi } from 'vitest';

// @backstage/backend-test-utils builds its mocks on a global `jest` (jest.fn and friends).
(globalThis as any).jest = vi;
