/**
 * The parser: tokens -> DocumentNode, one method per grammar rule (the rule is its doc comment),
 * on a few primitives: peek, lookahead, optional, `optional(kind) ?? expected(...)` for expect, and
 * block for the bodies of models and enums.
 *
 * It never throws. A syntax error becomes a diagnostic at the offending token; the parser then skips
 * to the next place where a member (inside a body) or a definition (at the top level) can start and
 * goes on, so every error of a file is reported and the definitions around it stay in the tree.
 */
import type {
  ArgumentNode,
  DefinitionNode,
  DescriptionNode,
  DirectiveNode,
  DocumentNode,
  EnumNode,
  EnumValueNode,
  FieldNode,
  ModelNode,
  NameNode,
  SpreadNode,
  TopDirectiveNode,
  TypeNode,
  ValueNode,
} from './ast'
import { type Diagnostic, error } from './diagnostics'
import { Lexer } from './lexer'
import type { NameTable } from './name-table'
import type { Location, Source } from './source'
import { editDistance } from '../suggest'
import { type Token, type TokenKind, describeToken } from './tokens'

/** `names`: one table for all the files of a schema (see NameTable); each file gets its own by default. */
export function parse(source: Source, names?: NameTable): { document: DocumentNode; diagnostics: Diagnostic[] } {
  const lexer = new Lexer(source, names)
  const parser = new Parser(source, lexer)
  const document = parser.parseDocument()
  const diagnostics = [...lexer.diagnostics, ...parser.diagnostics].sort((a, b) => a.location.start - b.location.start)
  return { document, diagnostics }
}

/** Thrown by `fail` once the diagnostic is recorded; caught where parsing can resume. Not an Error: no stack to build. */
const SYNTAX_ERROR = Symbol('syntax error')

/**
 * The tree's empty lists are this one frozen array, and the others are copied to their exact size
 * (an array grown by push keeps room for 17 items): the tree of a 1.5 MB schema is a fifth smaller.
 */
const NONE: readonly never[] = Object.freeze([])

function compact<T>(items: T[]): readonly T[] {
  return items.length === 0 ? NONE : items.slice()
}

/** A directive whose arguments are being parsed: `@` or `@@`, and its name. */
interface DirectiveName {
  readonly at: Token
  readonly name: NameNode
}

/** Where the parser was: enough to go back there. */
interface Position {
  readonly token: Token
  readonly consumed: number
  readonly lastEnd: number
}

/** Deeper list values than this are reported rather than recursed into (the stack is finite). */
const MAX_LIST_DEPTH = 32

class Parser {
  readonly diagnostics: Diagnostic[] = []
  /** The current token: the next one to consume. */
  private token: Token
  /** Up to three tokens after the current one, pulled from the lexer early by `lookahead`. */
  private readonly pending: Token[] = []
  /** Tokens consumed so far: recovery compares it to know the parser moved on. */
  private consumed = 0
  /** End of the last consumed token: where the node being built ends. */
  private lastEnd = 0
  private listDepth = 0
  /** Column of the first token of the definition or member being parsed. */
  private memberColumn = 1
  /** The argument list being parsed, and the first line in it that starts no deeper than its member (see `fail`). */
  private openArguments: { directive: DirectiveName; suspect: Position | null } | null = null

  constructor(
    private readonly source: Source,
    private readonly lexer: Lexer,
  ) {
    this.token = lexer.next()
  }

  /** Document := Definition* */
  parseDocument(): DocumentNode {
    const definitions: DefinitionNode[] = []
    while (!this.peek('EOF')) {
      const before = this.consumed
      this.memberColumn = this.token.column
      try {
        definitions.push(this.parseDefinition())
      } catch (thrown) {
        this.recover(thrown, before)
        this.skipToDefinition()
      }
    }
    return { kind: 'Document', source: this.source, definitions }
  }

  /** Definition := Description? Model | Description? Enum | TopDirective */
  private parseDefinition(): DefinitionNode {
    const start = this.token.start
    if (this.peek('@')) return this.parseTopDirective()
    const description = this.parseDescription()
    if (this.peekKeyword('model')) return this.parseModel(start, description)
    if (this.peekKeyword('enum')) return this.parseEnum(start, description)
    if (description) {
      return this.expected("'model' or 'enum' after a description", 'A description documents the model or enum that follows it.')
    }
    return this.expected("'model', 'enum' or a directive", topLevelHint(this.token))
  }

  /** Model := 'model' Name '{' (Field | Spread | ModelDirective)* '}' */
  private parseModel(start: number, description: DescriptionNode | null): ModelNode {
    this.advance()
    const name = this.optionalName() ?? this.expected("a model name after 'model'", 'Name the model after the keyword: model User { ... }.')
    const members: (FieldNode | SpreadNode)[] = []
    const directives: DirectiveNode[] = []
    this.block('model', name, () => {
      if (this.peek('...')) members.push(this.parseSpread())
      else if (this.peek('@@')) directives.push(this.parseDirective())
      else if (this.peek('Name') || this.peekDescription()) members.push(this.parseField())
      else this.expected(`a field or '}' in model '${name.value}'`, memberHint(this.token))
    }, () => this.skipToMember())
    return { kind: 'Model', description, name, members: compact(members), directives: compact(directives), loc: this.loc(start) }
  }

  /** Field := Description? Name ':' Type Directive* */
  private parseField(): FieldNode {
    const start = this.token.start
    const description = this.parseDescription()
    const name =
      this.optionalName() ??
      (description
        ? this.expected('a field name after the description', 'A description documents the field that follows it.')
        : this.expected('a field name', 'Write a field as name: Type.'))
    this.optional(':') ?? this.expected(`':' after field name '${name.value}'`, `Write the field as '${name.value}: Type'.`)
    const type = this.parseType()
    const directives: DirectiveNode[] = []
    while (this.peek('@')) directives.push(this.parseDirective())
    return { kind: 'Field', description, name, type, directives: compact(directives), loc: this.loc(start) }
  }

  /** Type := Name ('!' | '?')?  |  '[' Name '!'? ']' ('!' | '?')? */
  private parseType(): TypeNode {
    const start = this.token.start
    if (this.optional('[')) {
      const name = this.parseTypeName("'['")
      const itemRequired = this.optional('!') !== null
      this.optional(']') ??
        this.expected(`']' to close the list type '[${name.value}${itemRequired ? '!' : ''}'`, 'A list type is written [Type] or [Type!].')
      const required = this.parseRequired()
      return { kind: 'Type', name, list: true, itemRequired, required, loc: this.loc(start) }
    }
    const name = this.parseTypeName("':'")
    const required = this.parseRequired()
    // A bare `String` spans what its name spans: the two nodes share one location.
    const loc = this.lastEnd === name.loc.end ? name.loc : this.loc(start)
    return { kind: 'Type', name, list: false, itemRequired: required, required, loc }
  }

  /** The type's name. A name that starts a line and is followed by ':' is the next field, not this field's type. */
  private parseTypeName(after: string): NameNode {
    const token = this.token
    const name = token.lineStart && this.lookahead(1).kind === ':' ? null : this.optionalName()
    return name ?? this.expected(`a type name after ${after}`, 'Write a type such as String!, Int? or [Post!]!.')
  }

  /** '!' is required; '?' and nothing are both optional. */
  private parseRequired(): boolean {
    if (this.optional('!')) return true
    this.optional('?')
    return false
  }

  /** Spread := '...' Name */
  private parseSpread(): SpreadNode {
    const start = this.advance().start
    const name = this.optionalName() ?? this.expected("a model name after '...'", "A spread copies the fields of a model: '...Audit'.")
    return { kind: 'Spread', name, loc: this.loc(start) }
  }

  /** Directive := '@' Name Arguments?    ModelDirective := '@@' Name Arguments? */
  private parseDirective(): DirectiveNode {
    const at = this.advance()
    const modelLevel = at.kind === '@@'
    const name =
      this.optionalName() ??
      this.expected(`a directive name after '${at.kind}'`, `Write the directive's name right after '${at.kind}', like ${at.kind}unique.`)
    const args = this.peek('(') ? this.parseArguments(at, name) : NONE
    return { kind: 'Directive', name, modelLevel, arguments: args, loc: this.loc(at.start) }
  }

  /** Arguments := '(' Argument+ ')' */
  private parseArguments(at: Token, name: NameNode): readonly ArgumentNode[] {
    this.advance()
    const directive = { at, name }
    if (this.peek(')')) {
      this.expected("an argument after '('", `Remove the empty parentheses: write '${at.kind}${name.value}' alone.`)
    }
    this.openArguments = { directive, suspect: null }
    try {
      const args: ArgumentNode[] = []
      while (!this.optional(')')) {
        this.noteLineStart()
        if (!this.peekValue()) this.failToCloseArguments(directive)
        args.push(this.parseArgument())
      }
      return compact(args)
    } finally {
      this.openArguments = null
    }
  }

  /**
   * Arguments may span lines, so a missing ')' shows only later, when something that is no argument
   * turns up. The first line inside the list that starts no deeper than its member is remembered: if
   * the list then fails, that line is where it should have closed (see `fail`).
   */
  private noteLineStart(): void {
    const token = this.token
    if (this.openArguments && this.openArguments.suspect === null && token.lineStart && token.column <= this.memberColumn) {
      this.openArguments.suspect = { token, consumed: this.consumed, lastEnd: this.lastEnd }
    }
  }

  private failToCloseArguments({ at, name }: DirectiveName): never {
    const directive = `${at.kind}${name.value}`
    return this.expected(`')' to close the arguments of '${directive}'`, `Add ')' after the last argument of '${directive}'.`)
  }

  /** Argument := (Name ':')? Value */
  private parseArgument(): ArgumentNode {
    const start = this.token.start
    if (this.peek('Name') && this.lookahead(1).kind === ':') {
      const name = this.optionalName() as NameNode
      this.advance()
      const value = this.parseValue(name)
      return { kind: 'Argument', name, value, loc: this.loc(start) }
    }
    const value = this.parseValue(null)
    return { kind: 'Argument', name: null, value, loc: value.loc }
  }

  /** Value := String | BlockString | Number | 'true' | 'false' | 'null' | Name | ListValue */
  private parseValue(argument: NameNode | null): ValueNode {
    const token = this.token
    const loc = this.locOf(token)
    switch (token.kind) {
      case 'String':
      case 'BlockString':
        this.advance()
        return { kind: 'String', value: token.value, block: token.kind === 'BlockString', loc }
      case 'Number':
        this.advance()
        return { kind: 'Number', value: token.value, loc }
      case 'Name':
        this.advance()
        if (token.value === 'true' || token.value === 'false') return { kind: 'Boolean', value: token.value === 'true', loc }
        if (token.value === 'null') return { kind: 'Null', loc }
        return { kind: 'Identifier', value: token.value, loc }
      case '[':
        return this.parseListValue()
      default:
        return this.expected(
          argument ? `a value after '${argument.value}:'` : 'a value',
          'A value is a string, a number, true, false, null, a name or a list [a, b].',
        )
    }
  }

  /** ListValue := '[' Value* ']' */
  private parseListValue(): ValueNode {
    const start = this.token.start
    if (this.listDepth >= MAX_LIST_DEPTH) this.fail(`Lists are nested more than ${MAX_LIST_DEPTH} deep`, 'Flatten the list.')
    this.advance()
    this.listDepth++
    try {
      const values: ValueNode[] = []
      while (!this.optional(']')) {
        this.noteLineStart()
        if (!this.peekValue()) {
          this.expected("']' to close the list", 'A list is written [a, b, c].')
        }
        values.push(this.parseValue(null))
      }
      return { kind: 'List', values: compact(values), loc: this.loc(start) }
    } finally {
      this.listDepth--
    }
  }

  /** Enum := 'enum' Name '{' EnumValue* '}' */
  private parseEnum(start: number, description: DescriptionNode | null): EnumNode {
    this.advance()
    const name = this.optionalName() ?? this.expected("an enum name after 'enum'", 'Name the enum after the keyword: enum Role { ADMIN USER }.')
    const values: EnumValueNode[] = []
    this.block('enum', name, () => values.push(this.parseEnumValue(name)), () => this.skipToEnumValue())
    return { kind: 'Enum', description, name, values: compact(values), loc: this.loc(start) }
  }

  /** EnumValue := Description? Name */
  private parseEnumValue(enumName: NameNode): EnumValueNode {
    const start = this.token.start
    const description = this.parseDescription()
    const name =
      this.optionalName() ??
      (description
        ? this.expected('an enum value after the description', 'A description documents the enum value that follows it.')
        : this.expected(`an enum value or '}' in enum '${enumName.value}'`, 'Enum values are names: enum Role { ADMIN USER }.'))
    return { kind: 'EnumValue', description, name, loc: this.loc(start) }
  }

  /** TopDirective := '@' Name Arguments? */
  private parseTopDirective(): TopDirectiveNode {
    const directive = this.parseDirective()
    return { kind: 'TopDirective', directive, loc: directive.loc }
  }

  /** Description := String | BlockString */
  private parseDescription(): DescriptionNode | null {
    if (!this.peekDescription()) return null
    const token = this.advance()
    return { kind: 'Description', value: token.value, loc: this.locOf(token) }
  }

  /** Name, if the current token is one. */
  private optionalName(): NameNode | null {
    const token = this.token
    if (token.kind !== 'Name') return null
    this.advance()
    return { kind: 'Name', value: token.value, loc: this.locOf(token) }
  }

  // ---- Blocks and recovery

  /**
   * '{' Item* '}' of a model or enum. A broken item is reported, `skip` moves to where the next item
   * can start, and the loop goes on. A missing '}' ends the block at the end of file or at a line
   * that starts the next definition (`model Post {`, or `@index(...)` at the definition's column).
   */
  private block(keyword: 'model' | 'enum', name: NameNode, parseItem: () => void, skip: () => void): void {
    if (!this.optional('{')) {
      const message = `Expected '{' after ${keyword} name '${name.value}', found ${describeToken(this.token)}`
      const hint = `Open the body of the ${keyword}: ${keyword} ${name.value} { ... }.`
      // When the body follows anyway, parse it as if the '{' were there: its members stay members.
      if (!this.peekItem(keyword) || this.atDefinitionStart()) this.fail(message, hint)
      this.report(this.token, message, hint)
    }
    const definitionColumn = this.memberColumn
    for (;;) {
      const token = this.token
      if (token.kind === '}') {
        this.advance()
        return
      }
      // A '@' that starts a line no deeper than the definition is a top-level directive: it cannot be a
      // member, and a field's directives on a line of their own are read with the field.
      const topLevelDirective = token.kind === '@' && token.lineStart && token.column <= definitionColumn
      if (token.kind === 'EOF' || topLevelDirective || this.atDefinitionStart()) {
        const message = `Expected '}' to close ${keyword} '${name.value}', found ${describeToken(this.token)}`
        const hint = `Add '}' at the end of ${keyword} '${name.value}'.`
        // At the end of the file, the place to look is where the block was opened, not the last line.
        if (token.kind !== 'EOF') this.report(this.token, message, hint)
        else if (!this.lexer.hasErrorBetween(this.lastEnd, this.token.start)) this.diagnostics.push(error(name.loc, message, hint))
        return
      }
      const before = this.consumed
      this.memberColumn = token.column
      try {
        parseItem()
      } catch (thrown) {
        this.recover(thrown, before)
        skip()
      }
    }
  }

  /** After a syntax error: rethrows anything else (a bug), and makes sure the parser moved on. */
  private recover(thrown: unknown, before: number): void {
    if (thrown !== SYNTAX_ERROR) throw thrown
    if (this.consumed === before) this.advance()
  }

  /** Inside a model: to '}' or a token that starts a line and can start a member. */
  private skipToMember(): void {
    for (let t = this.token; t.kind !== '}' && t.kind !== 'EOF'; t = this.advanceAndPeek()) {
      if (t.lineStart && (t.kind === 'Name' || t.kind === 'String' || t.kind === 'BlockString' || t.kind === '...' || t.kind === '@@')) return
    }
  }

  /** Inside an enum: to '}' or the next name or description. */
  private skipToEnumValue(): void {
    for (let t = this.token; t.kind !== '}' && t.kind !== 'EOF'; t = this.advanceAndPeek()) {
      if (t.kind === 'Name' || t.kind === 'String' || t.kind === 'BlockString') return
    }
  }

  /**
   * At the top level: to the next `model Name` or `enum Name`, or '@' / description starting a line,
   * passing over braces and parentheses whole (so the fields of a misspelled `modle User { ... }`, or
   * the `model:` argument of a broken `@index(...)`, are not read as definitions).
   */
  private skipToDefinition(): void {
    let depth = 0
    for (let t = this.token; t.kind !== 'EOF'; t = this.advanceAndPeek()) {
      if (this.atDefinitionStart()) return
      if (depth === 0) {
        if (t.kind === 'Name' && (t.value === 'model' || t.value === 'enum') && this.lookahead(1).kind === 'Name') return
        if (t.lineStart && (t.kind === '@' || t.kind === 'String' || t.kind === 'BlockString')) return
      }
      if (t.kind === '{' || t.kind === '(') depth++
      else if ((t.kind === '}' || t.kind === ')') && depth > 0) depth--
    }
  }

  /** A line that begins `model Name {` or `enum Name {` (maybe after a description). */
  private atDefinitionStart(): boolean {
    const first = this.token
    if (!first.lineStart) return false
    const i = first.kind === 'String' || first.kind === 'BlockString' ? 1 : 0
    const keyword = this.lookahead(i)
    return (
      keyword.kind === 'Name' &&
      (keyword.value === 'model' || keyword.value === 'enum') &&
      this.lookahead(i + 1).kind === 'Name' &&
      this.lookahead(i + 2).kind === '{'
    )
  }

  // ---- Primitives

  /** The token `n` places after the current one (EOF repeats at the end). */
  private lookahead(n: number): Token {
    if (n === 0) return this.token
    while (this.pending.length < n) {
      const last = this.pending.length > 0 ? this.pending[this.pending.length - 1] : this.token
      this.pending.push(last.kind === 'EOF' ? last : this.lexer.next())
    }
    return this.pending[n - 1]
  }

  private peek(kind: TokenKind): boolean {
    return this.token.kind === kind
  }

  private peekKeyword(word: string): boolean {
    return this.token.kind === 'Name' && this.token.value === word
  }

  private peekDescription(): boolean {
    return this.token.kind === 'String' || this.token.kind === 'BlockString'
  }

  /** A token that can start a member of a model, or an enum value. */
  private peekItem(keyword: 'model' | 'enum'): boolean {
    const kind = this.token.kind
    return kind === 'Name' || kind === 'String' || kind === 'BlockString' || (keyword === 'model' && (kind === '...' || kind === '@@'))
  }

  private peekValue(): boolean {
    const kind = this.token.kind
    return kind === 'Name' || kind === 'String' || kind === 'BlockString' || kind === 'Number' || kind === '['
  }

  /** Consumes the current token (never past EOF) and returns it. */
  private advance(): Token {
    const token = this.token
    if (token.kind !== 'EOF') {
      this.token = this.pending.length > 0 ? (this.pending.shift() as Token) : this.lexer.next()
      this.consumed++
      this.lastEnd = token.end
    }
    return token
  }

  /** Goes back to a position seen before. */
  private rewindTo(position: Position): void {
    this.lexer.rewindAfter(position.token)
    this.pending.length = 0
    this.token = position.token
    this.consumed = position.consumed
    this.lastEnd = position.lastEnd
  }

  private advanceAndPeek(): Token {
    this.advance()
    return this.token
  }

  private optional(kind: TokenKind): Token | null {
    return this.token.kind === kind ? this.advance() : null
  }

  /**
   * The failing half of "expect": `this.optional(kind) ?? this.expected('...', hint)`, so that a
   * message is built only when it is needed (a 1.5 MB schema has 100,000 places to expect something).
   */
  private expected(what: string, hint: string): never {
    return this.fail(`Expected ${what}, found ${describeToken(this.token)}`, hint)
  }

  /**
   * Reports a syntax error at the current token and unwinds to the nearest recovery point. Inside an
   * argument list that ran over into the next member, the error is the missing ')' at that member,
   * and parsing resumes there (each token is re-read at most once: the skipped lines hold no '(').
   */
  private fail(message: string, hint: string): never {
    const suspect = this.openArguments?.suspect ?? null
    if (this.openArguments && suspect !== null) {
      const { directive } = this.openArguments
      this.openArguments = null
      this.rewindTo(suspect)
      this.failToCloseArguments(directive)
    }
    this.report(this.token, message, hint)
    throw SYNTAX_ERROR
  }

  /** Records an error at `token`, unless a lexical error just before it already explains it. */
  private report(token: Token, message: string, hint: string): void {
    if (this.lexer.hasErrorBetween(this.lastEnd, token.start)) return
    this.diagnostics.push(error(this.locOf(token), message, hint))
  }

  /** From `start` to the end of the last consumed token. */
  private loc(start: number): Location {
    return { source: this.source, start, end: this.lastEnd }
  }

  private locOf(token: Token): Location {
    return { source: this.source, start: token.start, end: token.end }
  }
}

function memberHint(token: Token): string {
  if (token.kind === '@') {
    return "A field directive follows the field's type on the same line; a model directive is written '@@name(...)'."
  }
  return 'A model body holds fields (name: Type), spreads (...Model) and model directives (@@index([a, b])).'
}

function topLevelHint(token: Token): string {
  if (token.kind === '@@') {
    return "'@@' directives belong inside a model body; at the top level write @index(model: \"User\", fields: [...])."
  }
  if (token.kind === 'Name') {
    const keyword = ['model', 'enum'].find((word) => isTypo(token.value, word))
    if (keyword) return `Did you mean '${keyword}'?`
    if (token.value === 'type') return "OKRA declares a record with 'model' where GraphQL uses 'type'."
  }
  return 'A schema file holds models (model Name { ... }), enums (enum Name { ... }) and directives (@okra(...)).'
}

/** Close enough to be a slip of the keyboard: a few edits (a swap of neighbours counts as one), or another case. */
function isTypo(written: string, word: string): boolean {
  const a = written.toLowerCase()
  if (a === word) return true
  if (Math.abs(a.length - word.length) > 2) return false
  const allowed = Math.max(1, Math.floor(word.length / 3))
  return editDistance(a, word, allowed) <= allowed
}
