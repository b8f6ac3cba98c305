// Reads the run request from stdin, as every provider does.
export async function readRequest() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text.split('\n')[0]);
}
export const say = message => process.stdout.write(`${JSON.stringify(message)}\n`);
export const asset = n => ({
  id: `test:acct:region:thing:${n}`,
  provider: 'test',
  account: 'acct',
  region: 'region',
  type: 'thing',
  nativeId: String(n),
  name: `thing ${n}`,
  tags: {},
  attributes: {},
});
