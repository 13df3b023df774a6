import { queryMethodNotValid, QuerySyntaxException } from './query.errors';
import { Token, TokenType, tokenize } from './query.lexer';
import { ParsedQuery, QUERY_METHODS, QueryMethod, QueryValue, ValueKind } from './query.types';

/** Appwrite 1.3 limits on the `queries[]` param (`APP_LIMIT_ARRAY_PARAMS_SIZE` / `_ELEMENT_SIZE`). */
export const MAX_QUERIES = 100;
export const MAX_QUERY_LENGTH = 4096;

interface Literal {
  readonly value: QueryValue;
  readonly kind: ValueKind;
  readonly position: number;
}

/** A parsed argument: one literal, or a bracketed list of them. */
type Argument = { readonly list: false; readonly item: Literal } | { readonly list: true; readonly items: Literal[]; readonly position: number };

/**
 * Parses one 1.3 query string such as `equal("title", ["a", "b"])` or `limit(25)`.
 *
 * Grammar (whitespace allowed between tokens):
 *   query    := method '(' [argument (',' argument)*] ')'
 *   argument := literal | '[' [literal (',' literal)*] ']'
 *   literal  := string | number | true | false | null
 *
 * @throws QuerySyntaxException (400 general_argument_invalid) on malformed input, and a
 *   `Query method not valid` error for methods 1.3 does not accept (including `contains`).
 */
export function parseQuery(source: string): ParsedQuery {
  if ([...source].length > MAX_QUERY_LENGTH) {
    throw new QuerySyntaxException(source, MAX_QUERY_LENGTH, `query is longer than ${MAX_QUERY_LENGTH} characters`);
  }
  return new Parser(source).parse();
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parse(): ParsedQuery {
    const name = this.expect('word', 'a method name');
    if (name.text.includes('.')) {
      this.fail(name.position, `method ${JSON.stringify(name.text)} uses the pre-1.0 "attribute.method" syntax, which is not supported`);
    }
    this.expect('(', '"(" after the method name');
    const args: Argument[] = [];
    if (this.peek().type !== ')') {
      args.push(this.argument());
      while (this.peek().type === ',') {
        this.index++;
        args.push(this.argument());
      }
    }
    this.expect(')', '"," or ")"');
    this.expect('end', 'the end of the query');
    if (!QUERY_METHODS.has(name.text)) throw queryMethodNotValid(name.text);
    return this.shape(name.text as QueryMethod, args, name.position);
  }

  private argument(): Argument {
    const open = this.peek();
    if (open.type !== '[') return { list: false, item: this.literal() };
    this.index++;
    const items: Literal[] = [];
    if (this.peek().type !== ']') {
      items.push(this.literal());
      while (this.peek().type === ',') {
        this.index++;
        items.push(this.literal());
      }
    }
    this.expect(']', '"," or "]"');
    return { list: true, items, position: open.position };
  }

  private literal(): Literal {
    const token = this.next();
    const { position, text } = token;
    switch (token.type) {
      case 'string':
        return { kind: 'string', position, value: text };
      case 'number': {
        const number = numberLiteral(text);
        if (!Number.isFinite(number.value)) this.fail(position, `number ${text} is out of range`);
        return { position, ...number };
      }
      case 'word':
        if (text === 'true' || text === 'false') return { kind: 'boolean', position, value: text === 'true' };
        if (text === 'null') return { kind: 'null', position, value: null };
        return this.fail(position, `unquoted value ${JSON.stringify(text)} (strings must be quoted)`);
      case 'end':
        return this.fail(position, 'unexpected end of query, expected a value');
      default:
        return this.fail(position, `unexpected ${JSON.stringify(text)}, expected a value`);
    }
  }

  /** Checks the argument list against what each method takes and builds the query. */
  private shape(method: QueryMethod, args: Argument[], position: number): ParsedQuery {
    const build = (attribute: string, items: Literal[]): ParsedQuery => ({
      attribute,
      kinds: items.map((item) => item.kind),
      method,
      source: this.source,
      values: items.map((item) => item.value),
    });
    switch (method) {
      case QueryMethod.IsNull:
      case QueryMethod.IsNotNull:
        this.arity(method, args, 1, 1, position);
        return build(this.attribute(args[0]), []);
      case QueryMethod.Between: {
        // The SDKs send between("a", [1,5]); the 1.3 server helper wrote between("a", 1, 5).
        this.arity(method, args, 2, 3, position);
        const bounds = args.length === 3 ? [this.scalar(args[1]), this.scalar(args[2])] : this.items(args[1]);
        if (bounds.length !== 2) this.fail(this.where(args[1]), 'between takes exactly two values');
        return build(this.attribute(args[0]), bounds);
      }
      case QueryMethod.Select:
        this.arity(method, args, 1, 1, position);
        return build('', this.items(args[0]));
      case QueryMethod.OrderAsc:
      case QueryMethod.OrderDesc:
        // 1.3 accepts orderAsc() as "natural order" (the internal sequence).
        this.arity(method, args, 0, 1, position);
        return build(args.length ? this.attribute(args[0]) : '', []);
      case QueryMethod.Limit:
      case QueryMethod.Offset:
      case QueryMethod.CursorAfter:
      case QueryMethod.CursorBefore:
        this.arity(method, args, 1, 1, position);
        return build('', [this.scalar(args[0])]);
      default: {
        this.arity(method, args, 2, 2, position);
        const values = this.items(args[1]);
        if (values.length === 0) this.fail(this.where(args[1]), `${method} needs at least one value`);
        return build(this.attribute(args[0]), values);
      }
    }
  }

  private arity(method: string, args: Argument[], min: number, max: number, position: number): void {
    if (args.length >= min && args.length <= max) return;
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    this.fail(position, `${method} takes ${expected} argument${max === 1 ? '' : 's'}, got ${args.length}`);
  }

  private attribute(arg: Argument): string {
    if (arg.list || arg.item.kind !== 'string') this.fail(this.where(arg), 'the attribute name must be a quoted string');
    return (arg as { item: Literal }).item.value as string;
  }

  private scalar(arg: Argument): Literal {
    if (arg.list) return this.fail(arg.position, 'expected a single value, not a list');
    return arg.item;
  }

  /** The SDKs always send a list; a bare value counts as a list of one (as in 1.3). */
  private items(arg: Argument): Literal[] {
    return arg.list ? arg.items : [arg.item];
  }

  private where(arg: Argument): number {
    return arg.list ? arg.position : arg.item.position;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.type !== 'end') this.index++;
    return token;
  }

  private expect(type: TokenType, what: string): Token {
    const token = this.next();
    if (token.type !== type) {
      const found = token.type === 'end' ? 'end of query' : JSON.stringify(token.type === 'string' ? `"${token.text}"` : token.text);
      this.fail(token.position, `expected ${what} but found ${found}`);
    }
    return token;
  }

  private fail(position: number, reason: string): never {
    throw new QuerySyntaxException(this.source, position, reason);
  }
}

/**
 * Mirrors PHP's `$numeric + 0`: integer lexemes give integers (unless they do not fit exactly in a JS
 * number, then they degrade to doubles as PHP does past 64 bits), anything with `.` or an exponent is
 * a double.
 */
function numberLiteral(text: string): { value: number; kind: ValueKind } {
  const value = Number(text);
  const integer = /^[+-]?\d+$/.test(text) && Number.isSafeInteger(value);
  return { kind: integer ? 'integer' : 'double', value: Object.is(value, -0) ? 0 : value };
}
