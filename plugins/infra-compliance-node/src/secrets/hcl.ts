import {
  hasPrivateKey,
  isCandidateValue,
  isHighEntropy,
  hintsAtSecret,
  isSecretName,
  lineMayHoldSecret,
  mayHoldSecret,
} from './classify';

/** A literal value of Terraform code, with where it is. */
export type CodeCandidate = {
  ruleId: string;
  value: string;
  line: number;
  address?: string;
  attribute?: string;
};

type Block = {
  /** `aws_db_instance.orders`, `provider.aws`, `var.db_password`, `module.net`, `locals`. */
  address?: string;
  /** Attribute path inside the top-level block. */
  path: string[];
  /** Braces opened by this block's line, closed when the count is back. */
  depth: number;
  variable?: { sensitive: boolean; defaults: CodeCandidate[] };
};

const TOP =
  /^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"\s*\{|^\s*(provider|module|variable|output)\s+"([^"]+)"\s*\{|^\s*(locals|terraform)\s*\{/;
const NESTED = /^\s*("?[\w.-]+"?)\s*(=\s*)?\{/;
// Each part matches one way only (no nested or adjacent optional repeats), so that a long line
// of a tenant's file is matched in linear time.
const ASSIGN =
  /^\s*("?[\w.-]+"?)\s*[=:]\s*"((?:[^"\\]|\\.)*)"\s*(?:,\s*)?(?:(?:#|\/\/).*)?$/;
const HEREDOC = /^\s*("?[\w.-]+"?)\s*=\s*<<-?\s*([A-Za-z_][\w-]*)\s*$/;
const SENSITIVE = /^\s*sensitive\s*=\s*true\b/;
// A name starts where no name character precedes it: a long word is tried once, not from each
// of its characters.
const INLINE = /(?<![\w."-])("?[\w.-]+"?)\s*[=:]\s*"((?:[^"\\]|\\.)*)"/g;
/** A map opened and closed on one line is no block. */
const INLINE_MAP = /\{[^{}]*\}/;

/** Character codes the line reader looks for. */
const QUOTE = 34; // "
const BACKSLASH = 92; // \
const HASH = 35; // #
const SLASH = 47; // /
const OPEN = 123; // {
const CLOSE = 125; // }

/** An HCL string literal's value (its escapes); the text itself when they are not JSON's. */
function literal(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`);
  } catch {
    return raw;
  }
}

/** A heredoc body as a string literal would write it, for `found`, which decodes literals. */
function escapeLiteral(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

const unquote = (name: string) =>
  name.charCodeAt(0) === QUOTE || name.charCodeAt(name.length - 1) === QUOTE
    ? name.replace(/^"|"$/g, '')
    : name;

function braces(line: string): number {
  if (line.indexOf('{') < 0 && line.indexOf('}') < 0) return 0;
  // Braces outside strings and comments; `${` inside strings is not a block.
  let n = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === HASH || (c === SLASH && line.charCodeAt(i + 1) === SLASH))
      break;
    else if (c === OPEN) n++;
    else if (c === CLOSE) n--;
  }
  return n;
}

function judge(
  name: string,
  raw: string,
  where: () => Omit<CodeCandidate, 'ruleId' | 'value'>,
  entropyToo: boolean,
): CodeCandidate | undefined {
  // Most lines name nothing secret and hold no key: one test, and on (the literal is decoded only
  // then; a key's markers have no escapes).
  if (!hintsAtSecret(name) && !hasPrivateKey(raw)) return undefined;
  const value = literal(raw);
  if (value.includes('${') || !isCandidateValue(value)) return undefined;
  let ruleId: string | undefined;
  if (hasPrivateKey(value)) ruleId = 'private-key';
  else if (isSecretName(name)) ruleId = 'tf-hardcoded-secret';
  else if (entropyToo && mayHoldSecret(name) && isHighEntropy(value))
    ruleId = 'high-entropy-value';
  return ruleId ? { ruleId, value, ...where() } : undefined;
}

/**
 * The secrets written in Terraform code or tfvars, read line by line (linear, and working on
 * code that does not parse, as secret scanners do): literal strings given to attributes,
 * locals, module arguments, tfvars entries and variable defaults whose names say they are
 * secrets; any literal default of a variable marked sensitive; private keys (heredocs too); and
 * high-entropy literals under secret-hinting names. Interpolations are not literals. Each with
 * its line, block address and attribute path.
 */
export function codeCandidates(
  text: string,
  kind: 'code' | 'tfvars',
): CodeCandidate[] {
  const out: CodeCandidate[] = [];
  const lines = text.split('\n');
  const stack: Block[] = [];
  let depth = 0;
  const where = (name: string, line: number) => {
    const top = stack[0];
    const inner = stack.length ? stack[stack.length - 1] : undefined;
    const path = [...(inner?.path ?? []), name];
    if (kind === 'tfvars') {
      const [variable, ...rest] = path;
      return {
        address: `var.${variable}`,
        ...(rest.length ? { attribute: rest.join('.') } : {}),
        line,
      };
    }
    return {
      ...(top?.address ? { address: top.address } : {}),
      ...(top ? { attribute: path.join('.') } : {}),
      line,
    };
  };
  /** A literal `raw` (as written, escapes undecoded; heredoc bodies are plain) given to `name`. */
  const found = (name: string, raw: string, lineNo: number) => {
    const top = stack[0];
    if (top?.variable) {
      const inner = stack[stack.length - 1];
      if (stack.length === 1 && name === 'default') {
        const value = literal(raw);
        if (!value.includes('${') && isCandidateValue(value))
          top.variable.defaults.push({
            ruleId: hasPrivateKey(value)
              ? 'private-key'
              : 'tf-hardcoded-secret',
            value,
            line: lineNo,
            address: top.address,
          });
        return;
      }
      // Inside a default object or map: judged by the key, like any other literal.
      const c = judge(
        name,
        raw,
        () => ({ ...where(name, lineNo), address: top.address }),
        false,
      );
      if (c && inner !== top) out.push(c);
      return;
    }
    const c = judge(name, raw, () => where(name, lineNo), true);
    if (c) out.push(c);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineNo = i + 1;
    const quoted = line.indexOf('"') >= 0;
    const heredoc = line.indexOf('<<') >= 0 ? HEREDOC.exec(line) : null;
    if (heredoc) {
      const end = new RegExp(`^\\s*${heredoc[2]}\\s*$`);
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !end.test(lines[j]); j++) body.push(lines[j]);
      found(unquote(heredoc[1]), escapeLiteral(`${body.join('\n')}\n`), lineNo);
      i = j;
      continue;
    }
    const top = depth === 0 ? TOP.exec(line) : null;
    const delta = braces(line);
    if (top) {
      let address: string;
      if (top[1])
        address = `${top[1] === 'data' ? 'data.' : ''}${top[2]}.${top[3]}`;
      else if (top[4])
        address = `${top[4] === 'variable' ? 'var' : top[4]}.${top[5]}`;
      else address = top[6];
      stack.push({
        address,
        path: [],
        depth,
        ...(top[4] === 'variable'
          ? { variable: { sensitive: false, defaults: [] } }
          : {}),
      });
      depth += delta;
      continue;
    }
    // Outside variable blocks (whose defaults count whatever their names), a line that names
    // nothing secret-like and holds no key gives nothing: its literals are not looked at.
    const literals =
      quoted && (stack[0]?.variable !== undefined || lineMayHoldSecret(line));
    const assign = literals ? ASSIGN.exec(line) : null;
    if (assign) {
      found(unquote(assign[1]), assign[2], lineNo);
    } else if (
      stack.length === 1 &&
      stack[0].variable &&
      SENSITIVE.test(line)
    ) {
      stack[0].variable.sensitive = true;
    } else if (delta > 0 && !INLINE_MAP.test(line)) {
      const nested = NESTED.exec(line);
      const inner = stack[stack.length - 1];
      stack.push({
        address: stack[0]?.address,
        path: [...(inner?.path ?? []), ...(nested ? [unquote(nested[1])] : [])],
        depth,
        ...(stack[0]?.variable ? { variable: stack[0].variable } : {}),
      });
    }
    if (!assign && literals && line.indexOf('=') >= 0) {
      // Pairs written inline (`{ name = "x", token = "y" }`, arguments of a call).
      for (const m of line.matchAll(INLINE)) found(unquote(m[1]), m[2], lineNo);
    }
    depth += delta;
    // Blocks closed on this line.
    while (stack.length && depth <= stack[stack.length - 1].depth) {
      const closed = stack.pop()!;
      if (!stack.length && closed.variable) {
        for (const d of closed.variable.defaults) {
          if (
            closed.variable.sensitive ||
            d.ruleId === 'private-key' ||
            isSecretName(closed.address!.slice(4))
          )
            out.push(d);
        }
      }
    }
    if (depth < 0) depth = 0;
  }
  return out;
}
