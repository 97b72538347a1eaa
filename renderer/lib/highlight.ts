/** One piece of highlighted text. `kind` becomes a CSS class (`tok-comment`, ...). */
export interface Token {
  text: string;
  kind: 'comment' | 'string' | 'number' | 'keyword' | 'key' | 'tag' | 'punct' | 'plain';
}

type Language = 'nginx' | 'haproxy' | 'hcl' | 'yaml' | 'xml' | 'json' | 'plain';

/** The language of an exported file, from its name. */
export function languageOf(path: string): Language {
  if (/nginx|\.conf$/.test(path)) return 'nginx';
  if (/haproxy|\.cfg$/.test(path)) return 'haproxy';
  if (/\.tf$/.test(path)) return 'hcl';
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (/\.(xml|drawio|svg)$/.test(path)) return 'xml';
  if (/\.json$/.test(path)) return 'json';
  return 'plain';
}

const RULES: Record<Language, [RegExp, Token['kind']][]> = {
  nginx: [
    [/#[^\n]*/y, 'comment'],
    [/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/y, 'string'],
    [/(?<=^|\n)[ \t]*[a-z_]+(?=[ \t;{])/y, 'keyword'],
    [/\$[A-Za-z_]\w*/y, 'key'],
    [/\b\d+(?:\.\d+)*(?:[smhdkKmM]|ms)?\b/y, 'number'],
    [/[{};]/y, 'punct'],
  ],
  haproxy: [
    [/#[^\n]*/y, 'comment'],
    [/"(?:[^"\\\n]|\\.)*"/y, 'string'],
    [/(?<=^|\n)(?:global|defaults|frontend|backend|listen|cache|resolvers|userlist)\b/y, 'tag'],
    [/(?<=^|\n)[ \t]+[a-z][\w-]*/y, 'keyword'],
    [/\b\d+(?:\.\d+)*(?:ms|s|m)?\b/y, 'number'],
  ],
  hcl: [
    [/#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\//y, 'comment'],
    [/"(?:[^"\\\n]|\\.)*"/y, 'string'],
    [/\b(?:resource|variable|output|provider|terraform|data|locals|module|for_each|count|true|false|null)\b/y, 'keyword'],
    [/\b[a-z_][\w-]*(?=\s*=)/y, 'key'],
    [/\b\d+(?:\.\d+)?\b/y, 'number'],
    [/[{}[\]=]/y, 'punct'],
  ],
  yaml: [
    [/#[^\n]*/y, 'comment'],
    [/"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'/y, 'string'],
    [/[A-Za-z_][\w.-]*(?=:(?:\s|$))/y, 'key'],
    [/\b(?:true|false|null)\b/y, 'keyword'],
    [/\b\d+(?:\.\d+)?\b/y, 'number'],
    [/^[ \t]*-(?=\s)|[:|>]/my, 'punct'],
  ],
  xml: [
    [/<!--[\s\S]*?-->/y, 'comment'],
    [/<\/?[A-Za-z][\w:.-]*|\/?>/y, 'tag'],
    [/"[^"]*"/y, 'string'],
    [/[A-Za-z_:][\w:.-]*(?==)/y, 'key'],
  ],
  json: [
    [/"(?:[^"\\\n]|\\.)*"(?=\s*:)/y, 'key'],
    [/"(?:[^"\\\n]|\\.)*"/y, 'string'],
    [/\b(?:true|false|null)\b/y, 'keyword'],
    [/-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b/y, 'number'],
  ],
  plain: [],
};

/**
 * Splits a file into tokens for display. Deliberately small: one sticky regex per token
 * kind, tried in order at each position; anything else is plain text. Bounded: files over
 * 400 KB are shown plain (highlighting is a comfort, never a hang).
 */
export function highlight(text: string, language: Language): Token[] {
  const rules = RULES[language];
  if (rules.length === 0 || text.length > 400_000) return [{ text, kind: 'plain' }];
  const out: Token[] = [];
  let plain = '';
  let i = 0;
  outer: while (i < text.length) {
    for (const [pattern, kind] of rules) {
      pattern.lastIndex = i;
      const match = pattern.exec(text);
      if (match && match[0].length > 0) {
        if (plain) {
          out.push({ text: plain, kind: 'plain' });
          plain = '';
        }
        out.push({ text: match[0], kind });
        i += match[0].length;
        continue outer;
      }
    }
    plain += text[i];
    i++;
  }
  if (plain) out.push({ text: plain, kind: 'plain' });
  return out;
}
