/**
 * Finds where JSON text first goes wrong, for engines whose `JSON.parse` error gives no
 * position (V8 in Node 20 says only "Unexpected token"). Runs only after `JSON.parse`
 * has failed, so it favours being small and exact over being fast.
 */
export function findJsonErrorOffset(text: string): { offset: number; reason: string } {
  let i = 0;
  const fail = (reason: string): never => {
    throw new JsonSyntaxAt(i, reason);
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const expectChar = (c: string, what: string): void => {
    if (text[i] !== c) fail(i >= text.length ? `unexpected end of input, expected ${what}` : `expected ${what}, found ${JSON.stringify(text[i])}`);
    i++;
  };
  const string = (): void => {
    expectChar('"', 'a string');
    while (i < text.length && text[i] !== '"') {
      const code = text.charCodeAt(i);
      if (code < 0x20) fail('control character in a string (escape it)');
      if (text[i] === '\\') {
        i++;
        const esc = text[i];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape');
          i += 4;
        } else if (esc === undefined || !'"\\/bfnrt'.includes(esc)) fail('bad escape in a string');
      }
      i++;
    }
    expectChar('"', 'the closing quote of a string');
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before }' : 'expected a property name in double quotes');
        string();
        ws();
        expectChar(':', '":" after a property name');
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expectChar('}', '"," or "}"');
        return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] === ']' || text[i] === ',') fail(text[i] === ']' ? 'trailing comma before ]' : 'missing value before ","');
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expectChar(']', '"," or "]"');
        return;
      }
    }
    if (c === '"') return string();
    const literal = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (literal) {
      i += literal[0].length;
      return;
    }
    fail(i >= text.length ? 'unexpected end of input, expected a value' : `unexpected ${JSON.stringify(c)}, expected a value`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail('unexpected text after the JSON value');
  } catch (error) {
    if (error instanceof JsonSyntaxAt) return { offset: error.offset, reason: error.reason };
    throw error;
  }
  return { offset: text.length, reason: 'invalid JSON' };
}

class JsonSyntaxAt extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}
