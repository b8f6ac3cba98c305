/*
 * The worker thread of PlanAnalyzer: reads and analyses uploaded plans off the backend's event
 * loop. Each message is { id, text }; each answer { id, result } or { id, error }.
 */
import { parentPort } from 'node:worker_threads';
import { analyzePlanText } from './planAnalysis';

parentPort!.on('message', ({ id, text }: { id: number; text: string }) => {
  try {
    parentPort!.postMessage({ id, result: analyzePlanText(text) });
  } catch (e) {
    const error = e as Error;
    parentPort!.postMessage({
      id,
      error: { name: error.name, message: error.message },
    });
  }
});
