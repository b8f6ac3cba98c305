/**
 * Input that cannot be used, with the file and line (1-based) where it goes wrong and why; the
 * message is `file:line: reason`.
 *
 * @public
 */
export class FileLineError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}
