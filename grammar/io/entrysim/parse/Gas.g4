/*
 * One GNU as (AT&T x86-64) source line, already cpp- and macro-expanded, plus gas expressions.
 * Mnemonics and directive names are plain identifiers: what they mean is decided in Java.
 * Precedence follows gas's operator ranks for x86 (binutils expr.c op_rank), which differ from
 * the manual's prose: + and - bind tighter than comparisons, and && tighter than ||.
 */
grammar Gas;

@lexer::members {
    /**
     * True while lexing a .if condition: there {@code %rsp} in operand position is a register
     * reference (REGREF), and after an operand {@code %} is the modulo operator, as in gas.
     * In instruction lines a register is an operand of its own and never part of an expression.
     */
    public boolean registerExpressions = false;
    private int lastType = -1;

    @Override
    public Token emit() {
        Token t = super.emit();
        lastType = t.getType();
        return t;
    }

    @Override
    public void reset() {
        super.reset();
        lastType = -1;
    }

    /** gas reads {@code %} as the modulo operator right after an operand, else as a register. */
    private boolean atOperandPosition() {
        switch (lastType) {
            case DEC: case HEX: case BIN: case LOCAL_REF: case CHAR: case NAME: case DOT_NAME:
            case PREFIX: case RPAREN: case REGREF:
                return false;
            default:
                return true;
        }
    }
}

// ---- entry points

line      : statement? (SEMI statement?)* EOF ;
condition : expr EOF ;

// ---- statements

statement
    : label+ body?
    | body
    ;

label : (symbolName | DEC) COLON ;

body
    : symbolName op=(EQ | EQEQ) expr        # assignBody      // `x == e` is gas's .equiv
    | DOT_NAME directiveArgs                # directiveBody
    | DOT_NAME symbolName NAME              # typeBody        // `.type sym STT_FUNC`: gas takes the type without a comma
    | PREFIX* NAME operands?                # instructionBody
    | PREFIX+                               # prefixOnlyBody
    ;

// Empty arguments are meaningful (.p2align 4,,15), so commas are kept in the tree.
directiveArgs : directiveArg? (COMMA directiveArg?)* ;

directiveArg
    : STRING                                # stringArg
    | AT_WORD                               # wordArg
    | PERCENT (NAME | PREFIX)               # percentWordArg
    | expr                                  # exprArg
    ;

operands : operand (COMMA operand)* ;

operand
    : STAR operand                          # indirectOperand
    | DOLLAR expr                           # immediateOperand
    | register                              # registerOperand
    | (segment=register COLON)? memory      # memoryOperand
    ;

// `(sym+8)(%rax)` has a parenthesised displacement, `(sym)` is only a displacement: the
// alternatives are told apart by what follows the '(' (a register or a comma means base/index).
memory
    : expr? LPAREN baseIndex RPAREN         # baseIndexMemory
    | expr                                  # absoluteMemory
    ;

baseIndex
    : base=register (COMMA index=register? (COMMA scale=expr)?)?
    | COMMA index=register (COMMA scale=expr)?
    ;

register : PERCENT NAME ;

symbolName : NAME | DOT_NAME | PREFIX ;

// ---- expressions

expr
    : unary                                                       # unaryExpr
    | expr op=(STAR | SLASH | PERCENT | SHL | SHR) expr           # multiplicativeExpr
    | expr op=(PIPE | AMP | CARET | BANG | BANGBANG) expr         # bitwiseExpr
    | expr op=(PLUS | MINUS) expr                                 # additiveExpr
    | expr op=(EQEQ | NE | LTGT | LT | GT | LE | GE) expr          # comparisonExpr
    | expr op=ANDAND expr                                         # logicalAndExpr
    | expr op=OROR expr                                           # logicalOrExpr
    ;

unary
    : op=(MINUS | TILDE | BANG | BANGBANG | PLUS) unary  # prefixUnary
    | primary                                 # primaryUnary
    ;

primary
    : LPAREN expr RPAREN                    # parenPrimary
    | (DEC | HEX | BIN)                     # numberPrimary
    | CHAR                                  # charPrimary
    | LOCAL_REF                             # localRefPrimary
    | symbolName                            # symbolPrimary
    | REGREF                                # registerPrimary
    ;

// ---- lexer

// Instruction prefixes that may stand before a mnemonic on the same line.
PREFIX options { caseInsensitive = true; }
    : 'lock' | 'rep' | 'repe' | 'repz' | 'repne' | 'repnz'
    | 'data16' | 'data32' | 'addr16' | 'addr32' | 'rex64' | 'notrack' | 'xacquire' | 'xrelease'
    ;

HEX       : '0' [xX] [0-9a-fA-F]+ ;
BIN       : '0' [bB] [01]+ ;
LOCAL_REF : [0-9]+ [fb] ;               // 1f, 661b; "0b1" is BIN by longest match
DEC       : [0-9]+ ;                    // a leading 0 means octal (checked in Java)

// gas symbol names: a letter, '_' or '.' first, then also digits and '$'. ('$' may begin a
// symbol in gas, but on x86 that collides with the immediate prefix, so it is left out.)
DOT_NAME  : '.' NAME_CHAR* ;
NAME      : [A-Za-z_] NAME_CHAR* ('@' [A-Za-z0-9_]+)? ;   // foo@PLT style suffixes included
AT_WORD   : '@' [A-Za-z_] [A-Za-z0-9_]* ;                 // @progbits, @function
fragment NAME_CHAR : [A-Za-z0-9_.$] ;

REGREF    : '%' [A-Za-z_] [A-Za-z0-9_]* { registerExpressions && atOperandPosition() }? ;

STRING    : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '"' ;
UNTERMINATED_STRING : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* ;
// 'a and 'a' are both accepted by gas; the closing quote is optional.
CHAR      : '\'' ( '\\' ~[\r\n] | ~[\\\r\n] ) '\''? ;

// gas's input scrubber deletes blanks between operator characters, so `1 < < 2` is a shift and
// `5 ! ! 3` an exclusive or: two-character operators may have blanks inside.
SHL    : '<' BLANK* '<' ;
SHR    : '>' BLANK* '>' ;
LE     : '<' BLANK* '=' ;
GE     : '>' BLANK* '=' ;
LTGT   : '<' BLANK* '>' ;
NE     : '!' BLANK* '=' ;
EQEQ   : '=' BLANK* '=' ;
ANDAND : '&' BLANK* '&' ;
OROR   : '|' BLANK* '|' ;
BANGBANG : '!' BLANK* '!' ;             // binary: exclusive or (MRI heritage); unary: !(!x)
fragment BLANK : [ \t\f\u000B] ;
LT     : '<' ;
GT     : '>' ;
EQ     : '=' ;
PLUS   : '+' ;
MINUS  : '-' ;
STAR   : '*' ;
SLASH  : '/' ;
PERCENT: '%' ;
AMP    : '&' ;
PIPE   : '|' ;
CARET  : '^' ;
BANG   : '!' ;
TILDE  : '~' ;
LPAREN : '(' ;
RPAREN : ')' ;
COMMA  : ',' ;
COLON  : ':' ;
SEMI   : ';' ;
DOLLAR : '$' ;

// '#' starts a comment on x86; the macro stage strips them, this is only a safety net.
COMMENT : '#' ~[\r\n]* -> skip ;
WS      : [ \t\r\n\f\u000B]+ -> skip ;
// Anything else becomes a token so the parser reports it as junk with its column.
ERROR_CHAR : . ;
