import { Severity } from './types';

/** The states of a POA&M item, in order. @public */
export const POAM_STATES = [
  'open',
  'in_progress',
  'verification',
  'closed',
] as const;

/** @public */
export type PoamState = (typeof POAM_STATES)[number];

/**
 * The explicit transitions of a POA&M item: work starts, is handed to verification (or back),
 * and closes once an evaluation has resolved the finding. Nothing leaves `closed`; a finding that
 * fails again gets a new item.
 *
 * @public
 */
export const POAM_TRANSITIONS: Record<PoamState, readonly PoamState[]> = {
  open: ['in_progress'],
  in_progress: ['verification', 'open'],
  verification: ['closed', 'in_progress'],
  closed: [],
};

/**
 * Days from drafting to the due date, by the finding's severity (FedRAMP's remediation windows
 * for high, moderate and low: 30, 90 and 180 days; critical sooner).
 *
 * @public
 */
export const POAM_DUE_DAYS: Record<Severity, number> = {
  critical: 15,
  high: 30,
  medium: 90,
  low: 180,
  info: 365,
};

/** A milestone of a POA&M item; `done` follows the item's state. @public */
export type PoamMilestone = { title: string; due: string; done: boolean };

/** A weakness to remediate, drafted from an open finding. @public */
export type PoamItem = {
  tenantId: string;
  id: string;
  findingId: string;
  /** The weakness: what fails, where. */
  title: string;
  description: string;
  severity: Severity;
  controls: Record<string, string[]>;
  resourceId: string;
  state: PoamState;
  dueAt: string;
  milestones: PoamMilestone[];
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  /** The finding's status now. */
  findingStatus?: 'open' | 'resolved' | 'suppressed';
};

/** One transition of a POA&M item. @public */
export type PoamEvent = {
  at: string;
  from?: PoamState;
  to: PoamState;
  actor: string;
  comment?: string;
};
