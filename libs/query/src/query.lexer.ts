import { QuerySyntaxException } from './query.errors';

export type TokenType = 'word' | 'string' | 'number' | '(' | ')' | '[' | ']' | ',' | 'end';

export interface Token {
  readonly type: TokenType;
  /** Decoded text: string contents without quotes, the number's lexeme, the word itself. */
  readonly text: string;
  /** 0-based offset of the token's first character. */
  readonly position: number;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', ',']);
/** What a backslash may escape; any other `\x` stays as written (the 1.3 parser does the same). */
const ESCAPABLE = new Set(['"', "'", ',', '[', ']']);
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][A-Za-z0-9_$.]*/y;

/**
 * Splits one query string into tokens. Whitespace outside strings is dropped.
 *
 * Strings use double or single quotes. The SDK builders do not escape quotes inside values
 * (`Query.equal("a", 'say "hi"')` sends `equal("a", ["say "hi""])`), so a matching quote only closes
 * the string when the next non-blank character is `,`, `]`, `)` or the end; otherwise it is part of
 * the value. `\"`, `\'`, `\,`, `\[`, `\]` always yield the bare character.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    if (/\s/.test(char)) {
      i++;
    } else if (PUNCTUATION.has(char)) {
      tokens.push({ type: char as TokenType, text: char, position: i });
      i++;
    } else if (char === '"' || char === "'") {
      const [text, next] = readString(source, i);
      tokens.push({ type: 'string', text, position: i });
      i = next;
    } else {
      const token = readLexeme(source, i);
      tokens.push(token);
      i += token.text.length;
    }
  }
  tokens.push({ type: 'end', text: '', position: source.length });
  return tokens;
}

function readLexeme(source: string, start: number): Token {
  for (const [type, pattern] of [
    ['number', NUMBER],
    ['word', WORD],
  ] as const) {
    pattern.lastIndex = start;
    const match = pattern.exec(source);
    // A number glued to letters (`5abc`) is neither a number nor a word.
    if (match && !(type === 'number' && /[A-Za-z0-9_$.]/.test(source[start + match[0].length] ?? ''))) {
      return { type, text: match[0], position: start };
    }
  }
  throw new QuerySyntaxException(source, start, `unexpected character ${JSON.stringify(source[start])}`);
}

/** Reads a quoted string starting at `start`; returns its decoded contents and the offset after it. */
function readString(source: string, start: number): [string, number] {
  const quote = source[start];
  let text = '';
  let i = start + 1;
  while (i < source.length) {
    const char = source[i];
    if (char === '\\' && i + 1 < source.length) {
      const next = source[i + 1];
      text += ESCAPABLE.has(next) ? next : char + next;
      i += 2;
    } else if (char === quote && closesString(source, i + 1)) {
      return [text, i + 1];
    } else {
      text += char;
      i++;
    }
  }
  throw new QuerySyntaxException(source, start, 'unterminated string');
}

function closesString(source: string, from: number): boolean {
  let i = from;
  while (i < source.length && /\s/.test(source[i])) i++;
  return i === source.length || source[i] === ',' || source[i] === ']' || source[i] === ')';
}
