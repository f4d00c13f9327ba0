import {
  ApexErrorListener,
  ApexParserBaseListener,
  ApexParserFactory,
  ApexParseTreeWalker,
  ClassBodyDeclarationContext,
  ClassDeclarationContext,
  type ApexParserRuleContext as ParserRuleContext,
  type FieldDeclarationContext,
  type MethodDeclarationContext,
} from '@apexdevtools/apex-parser';

// Apex read with @apexdevtools/apex-parser (the grammar Salesforce's own tooling uses): every
// lexer and parser error, and the annotated members a test needs to check a Flow against.

export interface Annotation {
  name: string;
  /** Element-value pairs, lower-cased keys: @InvocableMethod(callout=true) -> { callout: 'true' }. */
  values: Record<string, string>;
}

export interface ApexMember {
  kind: 'method' | 'field';
  name: string;
  /** The class it is declared in (inner classes by their own name). */
  className: string;
  annotations: Annotation[];
}

export interface ParsedApex {
  errors: string[];
  members: ApexMember[];
  classNames: string[];
}

class CollectErrors extends ApexErrorListener {
  errors: string[] = [];
  apexSyntaxError(line: number, column: number, msg: string): void {
    this.errors.push(`${line}:${column} ${msg}`);
  }
}

function annotationsOf(decl: ParserRuleContext | null): Annotation[] {
  if (!(decl instanceof ClassBodyDeclarationContext)) return [];
  return decl.modifier_list().flatMap((m) => {
    const a = m.annotation();
    if (!a) return [];
    const values: Record<string, string> = {};
    for (const pair of a.elementValuePairs()?.elementValuePair_list() ?? []) values[pair.id().getText().toLowerCase()] = pair.elementValue().getText();
    return [{ name: a.id().getText(), values }];
  });
}

function enclosingClass(ctx: ParserRuleContext): string {
  for (let p = ctx.parentCtx as ParserRuleContext | undefined; p; p = p.parentCtx as ParserRuleContext | undefined) {
    if (p instanceof ClassDeclarationContext) return p.id().getText();
  }
  return '';
}

export function parseApex(source: string): ParsedApex {
  const listener = new CollectErrors();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  const tree = parser.compilationUnit();
  const members: ApexMember[] = [];
  const classNames: string[] = [];
  const walker = new (class extends ApexParserBaseListener {
    enterClassDeclaration = (ctx: ClassDeclarationContext) => {
      classNames.push(ctx.id().getText());
    };
    enterMethodDeclaration = (ctx: MethodDeclarationContext) => {
      members.push({ kind: 'method', name: ctx.id().getText(), className: enclosingClass(ctx), annotations: annotationsOf(ctx.parentCtx?.parentCtx as ParserRuleContext) });
    };
    enterFieldDeclaration = (ctx: FieldDeclarationContext) => {
      for (const v of ctx.variableDeclarators().variableDeclarator_list()) {
        members.push({ kind: 'field', name: v.id().getText(), className: enclosingClass(ctx), annotations: annotationsOf(ctx.parentCtx?.parentCtx as ParserRuleContext) });
      }
    };
  })();
  ApexParseTreeWalker.DEFAULT.walk(walker, tree);
  return { errors: listener.errors, members, classNames };
}
