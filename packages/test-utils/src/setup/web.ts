import '@testing-library/jest-dom/vitest';
import { vi } from 'vitest';

// Backstage's frontend test utilities build their mocks on a global `jest`.
(globalThis as any).jest = vi;
