import { EgressPolicy } from './egress';
import { PROTOCOL_VERSION, ProviderMessage } from './protocol';

/**
 * The body of a provider program written in Node.js: reads the run request from stdin, hands it
 * to `run` with a function that prints protocol messages, prints `done` when `run` resolves, and
 * on an error prints it as the run's `error` and exits 1. Programs in other languages speak the
 * same protocol themselves (see the README).
 *
 * @public
 */
export function runProviderProgram(
  run: (
    request: {
      settings: Record<string, unknown>;
      credentials: Record<string, string> | null;
      egress?: EgressPolicy;
      fingerprintSalt?: string;
    },
    say: (message: ProviderMessage) => void,
  ) => Promise<void>,
) {
  const say = (message: ProviderMessage) =>
    process.stdout.write(`${JSON.stringify(message)}\n`);
  const main = async () => {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    const request = JSON.parse(text.split('\n')[0]);
    if (request?.type !== 'run' || request.protocol !== PROTOCOL_VERSION) {
      throw new Error(
        `Expected a protocol ${PROTOCOL_VERSION} run request on stdin`,
      );
    }
    await run(
      {
        settings: request.settings ?? {},
        credentials: request.credentials ?? null,
        ...(request.egress ? { egress: request.egress } : {}),
        ...(typeof request.fingerprintSalt === 'string'
          ? { fingerprintSalt: request.fingerprintSalt }
          : {}),
      },
      say,
    );
    say({ type: 'done' });
  };
  // Exit only once everything written has left for the pipe: exiting right after the last
  // write loses the tail of the output whenever the reader is slower than the writer. Writes
  // complete in order, so the callback of an empty last write comes after all of them.
  const finish = (code: number) => {
    process.exitCode = code;
    process.stdout.write('', () => process.exit(code));
  };
  main().then(
    () => finish(0),
    error => {
      say({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      });
      finish(1);
    },
  );
}
