/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cb-expr.h"

/* Deeper nesting than this is surely a mistake, and the parser recurses. */
#define MAX_DEPTH      200
#define MAX_TEXT_BYTES (1024 * 1024)
/* Samples per pass of block evaluation: the registers of a chunk stay in cache. */
#define BLOCK_CHUNK    256
/* Registers of scalar evaluation kept on the stack. */
#define STACK_REGS     32

typedef enum
{
  OP_CONST,
  OP_VAR,
  /* unary */
  OP_NEG,
  OP_SQRT,
  OP_EXP,
  OP_LN,
  OP_LOG10,
  OP_SIN,
  OP_COS,
  OP_TAN,
  OP_ASIN,
  OP_ACOS,
  OP_ATAN,
  OP_ABS,
  OP_STEP,
  /* binary */
  OP_ADD,
  OP_SUB,
  OP_MUL,
  OP_DIV,
  OP_POW,
  OP_ATAN2,
  OP_MIN,
  OP_MAX,
} Op;

#define OP_IS_BINARY(op) ((op) >= OP_ADD)

/* Outcome of one operation on plain values. */
typedef enum
{
  EVAL_OK,
  EVAL_DIVISION_BY_ZERO,
  EVAL_ZERO_TO_NEGATIVE,
  EVAL_NEGATIVE_BASE,
  EVAL_LN,
  EVAL_LOG10,
  EVAL_SQRT,
  EVAL_ASIN,
  EVAL_ACOS,
  EVAL_ATAN2,
  EVAL_OVERFLOW,
  /* derivatives only */
  EVAL_VARIABLE_EXPONENT,
  EVAL_DERIVATIVE,
} EvalStatus;

/* The parsed expression in postfix order; byte offsets into the text. */
typedef struct
{
  Op     op;
  guint  name;        /* OP_VAR: index into names */
  double value;       /* OP_CONST */
  guint  start;
  guint  end;
} Node;

typedef enum
{
  OPERAND_REG,
  OPERAND_VAR,
  OPERAND_CONST,
} OperandKind;

typedef struct
{
  OperandKind kind;
  guint       index;  /* register, slot or constant */
} Operand;

typedef struct
{
  Op      op;
  guint   dst;
  Operand a;
  Operand b;          /* binary operations only */
  guint   start;      /* source span, for messages */
  guint   end;
} Instr;

/* The flat program built at bind time; read-only afterwards, so any number of
 * threads may evaluate it at once. */
typedef struct
{
  Instr  *code;
  guint   n_code;
  double *consts;
  guint   n_consts;
  guint   n_regs;
  Operand result;
  guint  *used_slots;   /* slots read, each once */
  guint  *used_names;   /* the name of each used slot */
  guint   n_used;
} Program;

struct _CbExpr
{
  gatomicrefcount  ref_count;
  char            *text;
  Node            *nodes;
  guint            n_nodes;
  char           **names;       /* NULL-terminated */
  guint           *name_pos;    /* 1-based character position of first use */
  guint            n_names;
  Program         *program;     /* NULL until bound (unless there are no names) */
};

typedef struct
{
  const char *name;
  Op          op;
  guint       arity;   /* 0: two or more */
} Function;

static const Function functions[] = {
  { "sqrt", OP_SQRT, 1 },
  { "exp", OP_EXP, 1 },
  { "ln", OP_LN, 1 },
  { "log10", OP_LOG10, 1 },
  { "sin", OP_SIN, 1 },
  { "cos", OP_COS, 1 },
  { "tan", OP_TAN, 1 },
  { "asin", OP_ASIN, 1 },
  { "acos", OP_ACOS, 1 },
  { "atan", OP_ATAN, 1 },
  { "abs", OP_ABS, 1 },
  { "step", OP_STEP, 1 },
  { "atan2", OP_ATAN2, 2 },
  { "min", OP_MIN, 0 },
  { "max", OP_MAX, 0 },
};

static const char * const op_names[] = {
  [OP_NEG] = "-",
  [OP_SQRT] = "sqrt",
  [OP_EXP] = "exp",
  [OP_LN] = "ln",
  [OP_LOG10] = "log10",
  [OP_SIN] = "sin",
  [OP_COS] = "cos",
  [OP_TAN] = "tan",
  [OP_ASIN] = "asin",
  [OP_ACOS] = "acos",
  [OP_ATAN] = "atan",
  [OP_ABS] = "abs",
  [OP_STEP] = "step",
  [OP_ADD] = "+",
  [OP_SUB] = "-",
  [OP_MUL] = "*",
  [OP_DIV] = "/",
  [OP_POW] = "^",
  [OP_ATAN2] = "atan2",
  [OP_MIN] = "min",
  [OP_MAX] = "max",
};

G_DEFINE_QUARK (cb-expr-error-quark, cb_expr_error)

/* ------------------------------------------------------------------------ */
/* Values                                                                    */

/* The one definition of every operation on plain values, with its domain;
 * block evaluation repeats the same arithmetic without the checks. */
static EvalStatus
apply_scalar (Op      op,
              double  a,
              double  b,
              double *result)
{
  double v;

  switch (op)
    {
    case OP_NEG:   v = -a; break;
    case OP_SQRT:
      if (a < 0)
        return EVAL_SQRT;
      v = sqrt (a);
      break;
    case OP_EXP:   v = exp (a); break;
    case OP_LN:
      if (!(a > 0))
        return EVAL_LN;
      v = log (a);
      break;
    case OP_LOG10:
      if (!(a > 0))
        return EVAL_LOG10;
      v = log10 (a);
      break;
    case OP_SIN:   v = sin (a); break;
    case OP_COS:   v = cos (a); break;
    case OP_TAN:   v = tan (a); break;
    case OP_ASIN:
      if (!(a >= -1 && a <= 1))
        return EVAL_ASIN;
      v = asin (a);
      break;
    case OP_ACOS:
      if (!(a >= -1 && a <= 1))
        return EVAL_ACOS;
      v = acos (a);
      break;
    case OP_ATAN:  v = atan (a); break;
    case OP_ABS:   v = fabs (a); break;
    case OP_STEP:  v = a > 0 ? 1 : 0; break;
    case OP_ADD:   v = a + b; break;
    case OP_SUB:   v = a - b; break;
    case OP_MUL:   v = a * b; break;
    case OP_DIV:
      if (b == 0)
        return EVAL_DIVISION_BY_ZERO;
      v = a / b;
      break;
    case OP_POW:
      if (a == 0 && b < 0)
        return EVAL_ZERO_TO_NEGATIVE;
      if (a < 0 && b != floor (b))
        return EVAL_NEGATIVE_BASE;
      v = pow (a, b);
      break;
    case OP_ATAN2:
      if (a == 0 && b == 0)
        return EVAL_ATAN2;
      v = atan2 (a, b);
      break;
    case OP_MIN:   v = a <= b ? a : b; break;
    case OP_MAX:   v = a >= b ? a : b; break;
    case OP_CONST:
    case OP_VAR:
    default:
      g_assert_not_reached ();
    }

  if (!isfinite (v))
    return EVAL_OVERFLOW;
  *result = v;
  return EVAL_OK;
}

/* Shortest text that reads back as the same double. */
static char *
format_value (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    return g_strdup ("NaN");
  if (isinf (v))
    return g_strdup (v > 0 ? "inf" : "-inf");
  g_ascii_formatd (buf, sizeof buf, "%.15g", v);
  if (g_ascii_strtod (buf, NULL) != v)
    g_ascii_formatd (buf, sizeof buf, "%.17g", v);
  return g_strdup (buf);
}

/* "sqrt(-2)", "3 / 0", "(-8) ^ 0.5": the operation with its values. */
static char *
describe_call (Op     op,
               double a,
               double b)
{
  g_autofree char *as = format_value (a);
  g_autofree char *bs = format_value (b);

  switch (op)
    {
    case OP_NEG:
      return g_strdup_printf ("-(%s)", as);
    case OP_ADD:
    case OP_SUB:
    case OP_MUL:
    case OP_DIV:
    case OP_POW:
      {
        /* Brackets keep "(-2) ^ 2" from reading as -(2 ^ 2). */
        g_autofree char *left = a < 0 ? g_strdup_printf ("(%s)", as) : g_strdup (as);
        g_autofree char *right = b < 0 ? g_strdup_printf ("(%s)", bs) : g_strdup (bs);

        return g_strdup_printf ("%s %s %s", left, op_names[op], right);
      }
    case OP_ATAN2:
    case OP_MIN:
    case OP_MAX:
      return g_strdup_printf ("%s(%s, %s)", op_names[op], as, bs);
    default:
      return g_strdup_printf ("%s(%s)", op_names[op], as);
    }
}

static void
set_eval_error (const CbExpr  *expr,
                const Instr   *in,
                double         a,
                double         b,
                EvalStatus     status,
                GError       **error)
{
  g_autofree char *span = g_strndup (expr->text + in->start, in->end - in->start);
  g_autofree char *as = format_value (a);
  g_autofree char *bs = format_value (b);
  g_autofree char *call = describe_call (in->op, a, b);

  switch (status)
    {
    case EVAL_DIVISION_BY_ZERO:
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DIVISION_BY_ZERO,
                   _("in '%s': division of %s by zero"), span, as);
      break;
    case EVAL_ZERO_TO_NEGATIVE:
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DIVISION_BY_ZERO,
                   _("in '%s': 0 raised to the power %s is not defined (division by zero)"),
                   span, bs);
      break;
    case EVAL_NEGATIVE_BASE:
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DOMAIN,
                   _("in '%s': %s raised to the power %s is not defined "
                     "(a negative base needs an integer exponent)"),
                   span, as, bs);
      break;
    case EVAL_LN:
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DOMAIN,
                   _("in '%s': ln of %s is not defined (argument must be positive)"),
                   span, as);
      break;
    case EVAL_LOG10:
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DOMAIN,
                   _("in '%s': log10 of %s is not defined (argument must be positive)"),
                   span, as);
      break;
    case EVAL_SQRT:
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DOMAIN,
                   _("in '%s': sqrt of %s is not defined (argument must not be negative)"),
                   span, as);
      break;
    case EVAL_ASIN:
    case EVAL_ACOS:
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DOMAIN,
                   _("in '%s': %s of %s is not defined (argument must be between -1 and 1)"),
                   span, op_names[in->op], as);
      break;
    case EVAL_ATAN2:
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DOMAIN,
                   _("in '%s': atan2(0, 0) is not defined (both arguments are zero)"),
                   span);
      break;
    case EVAL_OVERFLOW:
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DOMAIN,
                   _("in '%s': the result of %s is not a finite number"),
                   span, call);
      break;
    case EVAL_VARIABLE_EXPONENT:
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DOMAIN,
                   _("in '%s': %s has no derivative with respect to the exponent "
                     "(the base must be positive)"),
                   span, call);
      break;
    case EVAL_DERIVATIVE:
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DOMAIN,
                   _("in '%s': the derivative of %s is not a finite number"),
                   span, call);
      break;
    case EVAL_OK:
    default:
      g_assert_not_reached ();
    }
}

static void
set_input_error (const CbExpr  *expr,
                 guint          name,
                 double         value,
                 GError       **error)
{
  g_autofree char *vs = format_value (value);

  g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DOMAIN,
               _("the value of '%s' is %s, not a finite number"),
               expr->names[name], vs);
}

/* ------------------------------------------------------------------------ */
/* Parsing                                                                   */

typedef enum
{
  TOK_END,
  TOK_NUMBER,
  TOK_NAME,
  TOK_PLUS,
  TOK_MINUS,
  TOK_MUL,
  TOK_DIV,
  TOK_POW,
  TOK_LPAREN,
  TOK_RPAREN,
  TOK_COMMA,
  TOK_OTHER,
} TokenKind;

typedef struct
{
  TokenKind kind;
  guint     start;   /* bytes */
  guint     end;
  guint     pos;     /* 1-based character position */
  double    value;
} Token;

typedef struct
{
  const char  *text;
  guint        len;
  guint        byte;    /* next unread byte */
  guint        chr;     /* characters before it */
  Token        tok;
  guint        depth;
  GArray      *nodes;
  GPtrArray   *names;
  GArray      *name_pos;
  GHashTable  *name_index;
  GError     **error;
} Parser;

static void set_syntax_error (Parser      *p,
                              CbExprError  code,
                              guint        pos,
                              const char  *format,
                              ...) G_GNUC_PRINTF (4, 5);

static void
set_syntax_error (Parser      *p,
                  CbExprError  code,
                  guint        pos,
                  const char  *format,
                  ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (p->error, CB_EXPR_ERROR, code, _("position %u: %s"), pos, message);
}

/* "'x'", "'1.5e3'" or "end of input", for "found …". */
static char *
describe_token (const Parser *p)
{
  const Token *t = &p->tok;
  g_autofree char *text = NULL;
  gunichar c;

  if (t->kind == TOK_END)
    return g_strdup (_("end of input"));
  c = g_utf8_get_char (p->text + t->start);
  if (t->kind == TOK_OTHER && !g_unichar_isprint (c))
    return g_strdup_printf ("U+%04X", c);
  text = g_strndup (p->text + t->start, t->end - t->start);
  if (g_utf8_strlen (text, -1) > 32)
    {
      g_autofree char *head = g_utf8_substring (text, 0, 32);

      return g_strdup_printf ("'%s…'", head);
    }
  return g_strdup_printf ("'%s'", text);
}

static gboolean
is_name_char (gunichar c)
{
  if (c == '_' || g_unichar_isalpha (c))
    return TRUE;
  /* Subscript digits, as in x₁, but not superscripts: x² is not a name. */
  if (c >= 0x2080 && c <= 0x2089)
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_DECIMAL_NUMBER:
    /* Combining accents of decomposed letters. */
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
step (Parser *p)
{
  p->byte = g_utf8_next_char (p->text + p->byte) - p->text;
  p->chr++;
}

static gboolean
lex_number (Parser *p)
{
  const char *s = p->text;
  Token *t = &p->tok;
  guint i = p->byte;
  gboolean nonzero = FALSE;
  g_autofree char *digits = NULL;

  while (g_ascii_isdigit (s[i]))
    nonzero |= s[i++] != '0';
  if (s[i] == '.')
    {
      i++;
      while (g_ascii_isdigit (s[i]))
        nonzero |= s[i++] != '0';
    }
  if (s[i] == 'e' || s[i] == 'E')
    {
      guint j = i + 1;

      if (s[j] == '+' || s[j] == '-')
        j++;
      if (!g_ascii_isdigit (s[j]))
        {
          g_autofree char *head = g_strndup (s + t->start, j - t->start);

          set_syntax_error (p, CB_EXPR_ERROR_SYNTAX, t->pos + (j - t->start),
                            _("expected a digit after '%s'"), head);
          return FALSE;
        }
      while (g_ascii_isdigit (s[j]))
        j++;
      i = j;
    }

  digits = g_strndup (s + t->start, i - t->start);
  t->value = g_ascii_strtod (digits, NULL);
  if (isinf (t->value) || (t->value == 0 && nonzero))
    {
      set_syntax_error (p, CB_EXPR_ERROR_SYNTAX, t->pos,
                        _("the number '%s' is out of range"), digits);
      return FALSE;
    }
  t->kind = TOK_NUMBER;
  p->chr += i - p->byte;
  p->byte = i;
  t->end = i;
  return TRUE;
}

/* Reads the next token into p->tok. */
static gboolean
lex (Parser *p)
{
  Token *t = &p->tok;
  gunichar c;

  while (p->byte < p->len && g_unichar_isspace (g_utf8_get_char (p->text + p->byte)))
    step (p);

  t->start = p->byte;
  t->end = p->byte;
  t->pos = p->chr + 1;
  t->value = 0;
  if (p->byte >= p->len)
    {
      t->kind = TOK_END;
      return TRUE;
    }

  c = g_utf8_get_char (p->text + p->byte);
  if (g_ascii_isdigit (c) || (c == '.' && g_ascii_isdigit (p->text[p->byte + 1])))
    return lex_number (p);

  step (p);
  if (c == '_' || g_unichar_isalpha (c))
    {
      while (p->byte < p->len && is_name_char (g_utf8_get_char (p->text + p->byte)))
        step (p);
      t->kind = TOK_NAME;
    }
  else
    {
      switch (c)
        {
        case '+':
          t->kind = TOK_PLUS;
          break;
        case '-':
        case 0x2212:   /* − minus sign */
          t->kind = TOK_MINUS;
          break;
        case '*':
        case 0x00D7:   /* × */
        case 0x00B7:   /* · middle dot */
        case 0x22C5:   /* ⋅ dot operator */
          t->kind = TOK_MUL;
          break;
        case '/':
        case 0x00F7:   /* ÷ */
          t->kind = TOK_DIV;
          break;
        case '^':
          t->kind = TOK_POW;
          break;
        case '(':
          t->kind = TOK_LPAREN;
          break;
        case ')':
          t->kind = TOK_RPAREN;
          break;
        case ',':
          t->kind = TOK_COMMA;
          break;
        default:
          t->kind = TOK_OTHER;
          break;
        }
    }
  t->end = p->byte;
  return TRUE;
}

/* Appends a node in postfix order, folding an operation on constants into a
 * constant.  An operation that fails on its constants stays, so that it
 * reports its error at evaluation like any other. */
static void
emit (Parser *p,
      Op      op,
      guint   name,
      double  value,
      guint   start,
      guint   end)
{
  Node node = { op, name, value, start, end };
  GArray *nodes = p->nodes;

  if (op != OP_CONST && op != OP_VAR)
    {
      guint arity = OP_IS_BINARY (op) ? 2 : 1;

      if (nodes->len >= arity)
        {
          const Node *first = &g_array_index (nodes, Node, nodes->len - arity);
          const Node *last = &g_array_index (nodes, Node, nodes->len - 1);
          double v;

          /* In postfix order a constant operand is a single node, so the last
           * arity nodes are then exactly the operands. */
          if (first->op == OP_CONST && last->op == OP_CONST
              && apply_scalar (op, first->value, arity == 2 ? last->value : 0, &v) == EVAL_OK)
            {
              g_array_set_size (nodes, nodes->len - arity);
              node.op = OP_CONST;
              node.value = v;
            }
        }
    }
  g_array_append_val (nodes, node);
}

static guint
add_name (Parser     *p,
          const char *raw,
          guint       pos)
{
  char *name;
  gpointer found;
  guint index;

  if (g_str_is_ascii (raw))
    name = g_strdup (raw);
  else
    name = g_utf8_normalize (raw, -1, G_NORMALIZE_NFC);

  if (g_hash_table_lookup_extended (p->name_index, name, NULL, &found))
    {
      g_free (name);
      return GPOINTER_TO_UINT (found);
    }
  index = p->names->len;
  g_ptr_array_add (p->names, name);
  g_array_append_val (p->name_pos, pos);
  g_hash_table_insert (p->name_index, name, GUINT_TO_POINTER (index));
  return index;
}

static const Function *
find_function (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    if (strcmp (functions[i].name, name) == 0)
      return &functions[i];
  return NULL;
}

static gboolean parse_expr (Parser *p,
                            guint  *start,
                            guint  *end);

static gboolean
parse_call (Parser         *p,
            const Function *f,
            const Token    *name,
            guint          *start,
            guint          *end)
{
  guint count = 0;
  guint close_end;

  if (p->tok.kind != TOK_LPAREN)
    {
      g_autofree char *found = describe_token (p);

      set_syntax_error (p, CB_EXPR_ERROR_SYNTAX, p->tok.pos,
                        _("expected '(' after '%s' but found %s"), f->name, found);
      return FALSE;
    }
  if (!lex (p))
    return FALSE;

  if (p->tok.kind != TOK_RPAREN)
    for (;;)
      {
        guint s, e;

        if (!parse_expr (p, &s, &e))
          return FALSE;
        count++;
        /* min and max of many arguments fold pairwise from the left. */
        if (f->arity == 0 && count >= 2)
          emit (p, f->op, 0, 0, name->start, e);
        if (p->tok.kind == TOK_RPAREN)
          break;
        if (p->tok.kind != TOK_COMMA)
          {
            g_autofree char *found = describe_token (p);

            set_syntax_error (p, CB_EXPR_ERROR_SYNTAX, p->tok.pos,
                              _("expected ',' or ')' but found %s"), found);
            return FALSE;
          }
        if (!lex (p))
          return FALSE;
      }

  if (f->arity == 0 && count < 2)
    {
      set_syntax_error (p, CB_EXPR_ERROR_ARITY, name->pos,
                        _("%s takes 2 or more arguments, found %u"), f->name, count);
      return FALSE;
    }
  if (f->arity == 1 && count != 1)
    {
      set_syntax_error (p, CB_EXPR_ERROR_ARITY, name->pos,
                        _("%s takes 1 argument, found %u"), f->name, count);
      return FALSE;
    }
  if (f->arity == 2 && count != 2)
    {
      set_syntax_error (p, CB_EXPR_ERROR_ARITY, name->pos,
                        _("%s takes 2 arguments, found %u"), f->name, count);
      return FALSE;
    }

  close_end = p->tok.end;
  if (f->arity != 0)
    emit (p, f->op, 0, 0, name->start, close_end);
  *start = name->start;
  *end = close_end;
  return lex (p);
}

static gboolean
parse_name (Parser *p,
            guint  *start,
            guint  *end)
{
  Token name = p->tok;
  g_autofree char *raw = g_strndup (p->text + name.start, name.end - name.start);
  const Function *f = find_function (raw);

  if (!lex (p))
    return FALSE;
  if (f != NULL)
    return parse_call (p, f, &name, start, end);

  if (p->tok.kind == TOK_LPAREN)
    {
      if (strcmp (raw, "pi") == 0)
        set_syntax_error (p, CB_EXPR_ERROR_SYNTAX, name.pos,
                          _("'pi' is a constant, not a function"));
      else if (strcmp (raw, "log") == 0)
        set_syntax_error (p, CB_EXPR_ERROR_UNKNOWN_NAME, name.pos,
                          _("unknown function 'log' (use ln or log10)"));
      else
        set_syntax_error (p, CB_EXPR_ERROR_UNKNOWN_NAME, name.pos,
                          _("unknown function '%s'"), raw);
      return FALSE;
    }

  if (strcmp (raw, "pi") == 0)
    emit (p, OP_CONST, 0, G_PI, name.start, name.end);
  else
    emit (p, OP_VAR, add_name (p, raw, name.pos), 0, name.start, name.end);
  *start = name.start;
  *end = name.end;
  return TRUE;
}

static gboolean
parse_primary (Parser *p,
               guint  *start,
               guint  *end)
{
  Token t = p->tok;
  guint s, e;

  switch (t.kind)
    {
    case TOK_NUMBER:
      emit (p, OP_CONST, 0, t.value, t.start, t.end);
      *start = t.start;
      *end = t.end;
      return lex (p);

    case TOK_NAME:
      return parse_name (p, start, end);

    case TOK_LPAREN:
      if (!lex (p) || !parse_expr (p, &s, &e))
        return FALSE;
      if (p->tok.kind != TOK_RPAREN)
        {
          g_autofree char *found = describe_token (p);

          set_syntax_error (p, CB_EXPR_ERROR_SYNTAX, p->tok.pos,
                            _("expected ')' but found %s"), found);
          return FALSE;
        }
      *start = t.start;
      *end = p->tok.end;
      return lex (p);

    case TOK_END:
    case TOK_PLUS:
    case TOK_MINUS:
    case TOK_MUL:
    case TOK_DIV:
    case TOK_POW:
    case TOK_RPAREN:
    case TOK_COMMA:
    case TOK_OTHER:
    default:
      {
        g_autofree char *found = describe_token (p);

        set_syntax_error (p, CB_EXPR_ERROR_SYNTAX, t.pos,
                          _("expected a number, a name, '(' or a function, found %s"), found);
        return FALSE;
      }
    }
}

static gboolean parse_unary (Parser *p,
                             guint  *start,
                             guint  *end);

/* power := primary [ '^' unary ]: right-associative, and the exponent may
 * carry a sign (2^-1). */
static gboolean
parse_power (Parser *p,
             guint  *start,
             guint  *end)
{
  guint s, e;

  if (!parse_primary (p, start, end))
    return FALSE;
  if (p->tok.kind != TOK_POW)
    return TRUE;
  if (!lex (p) || !parse_unary (p, &s, &e))
    return FALSE;
  emit (p, OP_POW, 0, 0, *start, e);
  *end = e;
  return TRUE;
}

/* unary := ('-' | '+') unary | power, so -x^2 is -(x^2).  Every nesting
 * (brackets, arguments, signs, exponents) passes here, so the depth bound
 * here bounds the recursion of the whole parser. */
static gboolean
parse_unary (Parser *p,
             guint  *start,
             guint  *end)
{
  Token t = p->tok;
  gboolean ok;

  if (p->depth >= MAX_DEPTH)
    {
      set_syntax_error (p, CB_EXPR_ERROR_SYNTAX, t.pos,
                        _("the expression is nested too deeply (at most %u levels)"),
                        (guint) MAX_DEPTH);
      return FALSE;
    }
  p->depth++;

  if (t.kind == TOK_MINUS || t.kind == TOK_PLUS)
    {
      guint s, e;

      ok = lex (p) && parse_unary (p, &s, &e);
      if (ok)
        {
          if (t.kind == TOK_MINUS)
            emit (p, OP_NEG, 0, 0, t.start, e);
          *start = t.start;
          *end = e;
        }
    }
  else
    ok = parse_power (p, start, end);

  p->depth--;
  return ok;
}

static gboolean
parse_term (Parser *p,
            guint  *start,
            guint  *end)
{
  if (!parse_unary (p, start, end))
    return FALSE;
  while (p->tok.kind == TOK_MUL || p->tok.kind == TOK_DIV)
    {
      Op op = p->tok.kind == TOK_MUL ? OP_MUL : OP_DIV;
      guint s, e;

      if (!lex (p) || !parse_unary (p, &s, &e))
        return FALSE;
      emit (p, op, 0, 0, *start, e);
      *end = e;
    }
  return TRUE;
}

static gboolean
parse_expr (Parser *p,
            guint  *start,
            guint  *end)
{
  if (!parse_term (p, start, end))
    return FALSE;
  while (p->tok.kind == TOK_PLUS || p->tok.kind == TOK_MINUS)
    {
      Op op = p->tok.kind == TOK_PLUS ? OP_ADD : OP_SUB;
      guint s, e;

      if (!lex (p) || !parse_term (p, &s, &e))
        return FALSE;
      emit (p, op, 0, 0, *start, e);
      *end = e;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Compilation to a register program                                         */

static void
program_free (Program *prog)
{
  if (prog == NULL)
    return;
  g_free (prog->code);
  g_free (prog->consts);
  g_free (prog->used_slots);
  g_free (prog->used_names);
  g_free (prog);
}

/* Registers are used as a stack: an operation frees the registers of its
 * operands, which are the topmost ones, and takes the lowest free one. */
static Program *
compile (const CbExpr *expr,
         const guint  *slot_of_name)
{
  Program *prog = g_new0 (Program, 1);
  g_autofree Operand *stack = g_new (Operand, expr->n_nodes);
  g_autofree gboolean *seen = g_new0 (gboolean, expr->n_names + 1);
  GArray *code = g_array_new (FALSE, TRUE, sizeof (Instr));
  GArray *consts = g_array_new (FALSE, FALSE, sizeof (double));
  guint sp = 0;
  guint live = 0;

  prog->used_slots = g_new (guint, expr->n_names + 1);
  prog->used_names = g_new (guint, expr->n_names + 1);

  for (guint k = 0; k < expr->n_nodes; k++)
    {
      const Node *node = &expr->nodes[k];
      Instr in = { 0 };

      switch (node->op)
        {
        case OP_CONST:
          stack[sp++] = (Operand) { OPERAND_CONST, consts->len };
          g_array_append_val (consts, node->value);
          break;

        case OP_VAR:
          if (!seen[node->name])
            {
              seen[node->name] = TRUE;
              prog->used_slots[prog->n_used] = slot_of_name[node->name];
              prog->used_names[prog->n_used] = node->name;
              prog->n_used++;
            }
          stack[sp++] = (Operand) { OPERAND_VAR, slot_of_name[node->name] };
          break;

        default:
          in.op = node->op;
          in.start = node->start;
          in.end = node->end;
          if (OP_IS_BINARY (node->op))
            {
              in.b = stack[--sp];
              if (in.b.kind == OPERAND_REG)
                live--;
            }
          in.a = stack[--sp];
          if (in.a.kind == OPERAND_REG)
            live--;
          in.dst = live++;
          prog->n_regs = MAX (prog->n_regs, live);
          g_array_append_val (code, in);
          stack[sp++] = (Operand) { OPERAND_REG, in.dst };
          break;
        }
    }

  g_assert (sp == 1);
  prog->result = stack[0];
  prog->n_code = code->len;
  prog->code = (Instr *) (void *) g_array_free (code, FALSE);
  prog->n_consts = consts->len;
  prog->consts = (double *) (void *) g_array_free (consts, FALSE);
  return prog;
}

/* ------------------------------------------------------------------------ */
/* Evaluation on plain values                                                */

/* Where the values of the slots come from: columns (block) or one vector. */
typedef struct
{
  const double * const *columns;
  const double         *values;
} Source;

static inline const double *
source_at (const Source *src,
           guint         slot,
           gsize         sample)
{
  return src->columns != NULL ? src->columns[slot] + sample : src->values + slot;
}

static inline void
resolve (const Program *prog,
         const Operand *o,
         const Source  *src,
         gsize          offset,
         double        *scratch,
         gsize          reg_stride,
         const double **ptr,
         gsize         *stride)
{
  switch (o->kind)
    {
    case OPERAND_REG:
      *ptr = scratch + o->index * reg_stride;
      *stride = 1;
      break;
    case OPERAND_VAR:
      *ptr = source_at (src, o->index, offset);
      *stride = 1;
      break;
    case OPERAND_CONST:
    default:
      *ptr = &prog->consts[o->index];
      *stride = 0;
      break;
    }
}

/* The arithmetic of apply_scalar() over n samples.  Every domain error of
 * apply_scalar() shows here as a non-finite result (or atan2(0, 0)), so one
 * flag per instruction is enough; the message comes from apply_scalar(). */
#define KERNEL_LOOP(SA, SB, EXPR) \
  for (i = 0; i < n; i++) \
    { \
      const double x = a[i * (SA)]; \
      const double y = b[i * (SB)]; \
      const double v = (EXPR); \
      (void) y; \
      r[i] = v; \
      bad |= !isfinite (v); \
    }

/* Constant strides let the compiler unroll and vectorise the common cases. */
#define UNARY_KERNEL(EXPR) \
  b = a; \
  if (sa == 1) \
    KERNEL_LOOP (1, 0, EXPR) \
  else \
    KERNEL_LOOP (0, 0, EXPR) \
  break

#define BINARY_KERNEL(EXPR) \
  if (sa == 1 && sb == 1) \
    KERNEL_LOOP (1, 1, EXPR) \
  else if (sa == 1) \
    KERNEL_LOOP (1, 0, EXPR) \
  else if (sb == 1) \
    KERNEL_LOOP (0, 1, EXPR) \
  else \
    KERNEL_LOOP (0, 0, EXPR) \
  break

static gboolean
run_instr (Op            op,
           const double *a,
           gsize         sa,
           const double *b,
           gsize         sb,
           double       *r,
           gsize         n)
{
  gsize i;
  int bad = 0;

  switch (op)
    {
    case OP_NEG:   UNARY_KERNEL (-x);
    case OP_SQRT:  UNARY_KERNEL (sqrt (x));
    case OP_EXP:   UNARY_KERNEL (exp (x));
    case OP_LN:    UNARY_KERNEL (log (x));
    case OP_LOG10: UNARY_KERNEL (log10 (x));
    case OP_SIN:   UNARY_KERNEL (sin (x));
    case OP_COS:   UNARY_KERNEL (cos (x));
    case OP_TAN:   UNARY_KERNEL (tan (x));
    case OP_ASIN:  UNARY_KERNEL (asin (x));
    case OP_ACOS:  UNARY_KERNEL (acos (x));
    case OP_ATAN:  UNARY_KERNEL (atan (x));
    case OP_ABS:   UNARY_KERNEL (fabs (x));
    case OP_STEP:  UNARY_KERNEL (x > 0 ? 1.0 : 0.0);
    case OP_ADD:   BINARY_KERNEL (x + y);
    case OP_SUB:   BINARY_KERNEL (x - y);
    case OP_MUL:   BINARY_KERNEL (x * y);
    case OP_DIV:   BINARY_KERNEL (x / y);
    case OP_POW:   BINARY_KERNEL (pow (x, y));
    case OP_MIN:   BINARY_KERNEL (x <= y ? x : y);
    case OP_MAX:   BINARY_KERNEL (x >= y ? x : y);
    case OP_ATAN2:
      for (i = 0; i < n; i++)
        {
          const double x = a[i * sa];
          const double y = b[i * sb];

          r[i] = atan2 (x, y);
          bad |= x == 0 && y == 0;
        }
      break;
    case OP_CONST:
    case OP_VAR:
    default:
      g_assert_not_reached ();
    }
  return !bad;
}

#undef KERNEL_LOOP
#undef UNARY_KERNEL
#undef BINARY_KERNEL

/* Evaluates samples offset..offset+n-1 column by column; FALSE when any
 * sample fails, without saying which. */
static gboolean
run_chunk (const Program *prog,
           const Source  *src,
           gsize          offset,
           gsize          n,
           double        *scratch,
           gsize          reg_stride,
           double        *out)
{
  const double *ptr;
  gsize stride;

  for (guint u = 0; u < prog->n_used; u++)
    {
      const double *column = source_at (src, prog->used_slots[u], offset);
      int bad = 0;

      for (gsize i = 0; i < n; i++)
        bad |= !isfinite (column[i]);
      if (bad)
        return FALSE;
    }

  for (guint k = 0; k < prog->n_code; k++)
    {
      const Instr *in = &prog->code[k];
      const double *a, *b = NULL;
      gsize sa, sb = 0;

      resolve (prog, &in->a, src, offset, scratch, reg_stride, &a, &sa);
      if (OP_IS_BINARY (in->op))
        resolve (prog, &in->b, src, offset, scratch, reg_stride, &b, &sb);
      if (!run_instr (in->op, a, sa, b, sb, scratch + in->dst * reg_stride, n))
        return FALSE;
    }

  resolve (prog, &prog->result, src, offset, scratch, reg_stride, &ptr, &stride);
  for (gsize i = 0; i < n; i++)
    out[i] = ptr[i * stride];
  return TRUE;
}

static double
operand_value (const Program *prog,
               const Operand *o,
               const Source  *src,
               gsize          sample,
               const double  *regs)
{
  switch (o->kind)
    {
    case OPERAND_REG:
      return regs[o->index];
    case OPERAND_VAR:
      return *source_at (src, o->index, sample);
    case OPERAND_CONST:
    default:
      return prog->consts[o->index];
    }
}

/* Re-evaluates one sample with every check and sets the error of the first
 * failing operation; TRUE if the sample evaluates. */
static gboolean
explain_sample (const CbExpr  *expr,
                const Source  *src,
                gsize          sample,
                GError       **error)
{
  const Program *prog = expr->program;
  g_autofree double *regs = g_new (double, prog->n_regs + 1);

  for (guint u = 0; u < prog->n_used; u++)
    {
      double v = *source_at (src, prog->used_slots[u], sample);

      if (!isfinite (v))
        {
          set_input_error (expr, prog->used_names[u], v, error);
          return FALSE;
        }
    }

  for (guint k = 0; k < prog->n_code; k++)
    {
      const Instr *in = &prog->code[k];
      double a = operand_value (prog, &in->a, src, sample, regs);
      double b = OP_IS_BINARY (in->op) ? operand_value (prog, &in->b, src, sample, regs) : 0;
      EvalStatus status = apply_scalar (in->op, a, b, &regs[in->dst]);

      if (status != EVAL_OK)
        {
          set_eval_error (expr, in, a, b, status, error);
          return FALSE;
        }
    }
  return TRUE;
}

static void
set_unexplained_error (const CbExpr  *expr,
                       GError       **error)
{
  g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_DOMAIN,
               _("in '%s': the result is not a finite number"), expr->text);
}

/* ------------------------------------------------------------------------ */
/* Evaluation with derivatives                                               */

/* A derivative that is zero stays zero even where the factor is infinite or
 * undefined: the operand does not depend on that variable. */
static inline double
scaled (double factor,
        double x)
{
  return x == 0 ? 0 : factor * x;
}

/* r = f(a) with f' = d1 and f'' = d2: grad = d1 ga,
 * hess = d1 Ha + d2 ga gaᵀ.  r may be a. */
static void
jet_unary (CbJet       *r,
           const CbJet *a,
           double       v,
           double       d1,
           double       d2)
{
  guint n = r->n;

  /* The Hessian first: it reads the gradient of a, which r may overwrite. */
  if (r->second_order)
    for (guint i = 0; i < n; i++)
      for (guint j = 0; j < n; j++)
        r->hess[i * n + j] = scaled (d1, a->hess[i * n + j])
                             + scaled (d2, a->grad[i] * a->grad[j]);
  for (guint i = 0; i < n; i++)
    r->grad[i] = scaled (d1, a->grad[i]);
  r->value = v;
}

/* r = f(a, b) with partial derivatives fa, fb, faa, fab, fbb:
 * grad = fa ga + fb gb,
 * hess = fa Ha + fb Hb + faa ga gaᵀ + fab (ga gbᵀ + gb gaᵀ) + fbb gb gbᵀ.
 * r may be a or b. */
static void
jet_binary (CbJet       *r,
            const CbJet *a,
            const CbJet *b,
            double       v,
            double       fa,
            double       fb,
            double       faa,
            double       fab,
            double       fbb)
{
  guint n = r->n;

  if (r->second_order)
    for (guint i = 0; i < n; i++)
      for (guint j = 0; j < n; j++)
        {
          double gai = a->grad[i], gaj = a->grad[j];
          double gbi = b->grad[i], gbj = b->grad[j];

          r->hess[i * n + j] = scaled (fa, a->hess[i * n + j])
                               + scaled (fb, b->hess[i * n + j])
                               + scaled (faa, gai * gaj)
                               + scaled (fab, gai * gbj + gbi * gaj)
                               + scaled (fbb, gbi * gbj);
        }
  for (guint i = 0; i < n; i++)
    r->grad[i] = scaled (fa, a->grad[i]) + scaled (fb, b->grad[i]);
  r->value = v;
}

static void
jet_assign (CbJet       *r,
            const CbJet *a)
{
  if (r == a)
    return;
  r->value = a->value;
  if (r->n == 0)
    return;
  memcpy (r->grad, a->grad, r->n * sizeof (double));
  if (r->second_order)
    {
      if (a->second_order)
        memcpy (r->hess, a->hess, (gsize) r->n * r->n * sizeof (double));
      else
        memset (r->hess, 0, (gsize) r->n * r->n * sizeof (double));
    }
}

static gboolean
jet_is_finite (const CbJet *r)
{
  guint n = r->n;
  int bad = 0;

  for (guint i = 0; i < n; i++)
    bad |= !isfinite (r->grad[i]);
  if (r->second_order)
    for (gsize i = 0; i < (gsize) n * n; i++)
      bad |= !isfinite (r->hess[i]);
  return !bad;
}

static gboolean
jet_is_constant (const CbJet *r)
{
  guint n = r->n;

  for (guint i = 0; i < n; i++)
    if (r->grad[i] != 0)
      return FALSE;
  if (r->second_order)
    for (gsize i = 0; i < (gsize) n * n; i++)
      if (r->hess[i] != 0)
        return FALSE;
  return TRUE;
}

/* x^y: with a constant exponent any base the value allows; with a variable
 * exponent the base must be positive (or zero where the limits exist). */
static EvalStatus
jet_pow (CbJet       *r,
         const CbJet *a,
         const CbJet *b,
         gboolean     constant_exponent,
         double       v)
{
  double x = a->value, y = b->value;
  double fa = y == 0 ? 0 : y * pow (x, y - 1);
  double faa = (y == 0 || y == 1) ? 0 : y * (y - 1) * pow (x, y - 2);
  double fb, fab, fbb;

  if (constant_exponent)
    {
      jet_binary (r, a, b, v, fa, 0, faa, 0, 0);
      return EVAL_OK;
    }
  if (x < 0)
    return EVAL_VARIABLE_EXPONENT;
  if (x == 0)
    {
      /* Limits of 0^y ln 0 and friends as the base goes to 0 (y > 0 here,
       * or y == 0 where they diverge). */
      fb = y > 0 ? 0 : NAN;
      fbb = y > 0 ? 0 : NAN;
      fab = y > 1 ? 0 : NAN;
    }
  else
    {
      double l = log (x);

      fb = v * l;
      fab = pow (x, y - 1) * (1 + y * l);
      fbb = v * l * l;
    }
  jet_binary (r, a, b, v, fa, fb, faa, fab, fbb);
  return EVAL_OK;
}

static const CbJet *
jet_operand (const Program       *prog,
             const Operand       *o,
             const CbJet * const *args,
             CbJet               *regs,
             CbJet               *constant)
{
  switch (o->kind)
    {
    case OPERAND_REG:
      return &regs[o->index];
    case OPERAND_VAR:
      return args[o->index];
    case OPERAND_CONST:
    default:
      /* Its gradient and Hessian are zero and are never written. */
      constant->value = prog->consts[o->index];
      return constant;
    }
}

static EvalStatus
jet_apply (const Instr *in,
           CbJet       *r,
           const CbJet *a,
           const CbJet *b,
           double       v)
{
  double x = a->value;
  double y = b != NULL ? b->value : 0;
  double d, r2;

  switch (in->op)
    {
    case OP_NEG:   jet_unary (r, a, v, -1, 0); break;
    case OP_SQRT:  jet_unary (r, a, v, 0.5 / v, -0.25 / (v * x)); break;
    case OP_EXP:   jet_unary (r, a, v, v, v); break;
    case OP_LN:    jet_unary (r, a, v, 1 / x, -1 / (x * x)); break;
    case OP_LOG10: jet_unary (r, a, v, 1 / (x * G_LN10), -1 / (x * x * G_LN10)); break;
    case OP_SIN:   jet_unary (r, a, v, cos (x), -v); break;
    case OP_COS:   jet_unary (r, a, v, -sin (x), -v); break;
    case OP_TAN:   jet_unary (r, a, v, 1 + v * v, 2 * v * (1 + v * v)); break;
    case OP_ASIN:
      d = 1 - x * x;
      jet_unary (r, a, v, 1 / sqrt (d), x / (d * sqrt (d)));
      break;
    case OP_ACOS:
      d = 1 - x * x;
      jet_unary (r, a, v, -1 / sqrt (d), -x / (d * sqrt (d)));
      break;
    case OP_ATAN:
      d = 1 + x * x;
      jet_unary (r, a, v, 1 / d, -2 * x / (d * d));
      break;
    case OP_ABS:   jet_unary (r, a, v, x >= 0 ? 1 : -1, 0); break;
    case OP_STEP:  jet_unary (r, a, v, 0, 0); break;
    case OP_ADD:   jet_binary (r, a, b, v, 1, 1, 0, 0, 0); break;
    case OP_SUB:   jet_binary (r, a, b, v, 1, -1, 0, 0, 0); break;
    case OP_MUL:   jet_binary (r, a, b, v, y, x, 0, 1, 0); break;
    case OP_DIV:
      jet_binary (r, a, b, v, 1 / y, -v / y, 0, -1 / (y * y), 2 * v / (y * y));
      break;
    case OP_POW:
      return jet_pow (r, a, b, in->b.kind == OPERAND_CONST || jet_is_constant (b), v);
    case OP_ATAN2:
      /* atan2(x, y) = atan(x / y) on the principal branch. */
      r2 = x * x + y * y;
      jet_binary (r, a, b, v, y / r2, -x / r2,
                  -2 * x * y / (r2 * r2), (x * x - y * y) / (r2 * r2), 2 * x * y / (r2 * r2));
      break;
    case OP_MIN:   jet_assign (r, x <= y ? a : b); break;
    case OP_MAX:   jet_assign (r, x >= y ? a : b); break;
    case OP_CONST:
    case OP_VAR:
    default:
      g_assert_not_reached ();
    }
  return EVAL_OK;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

CbExpr *
cb_expr_parse (const char  *text,
               GError     **error)
{
  g_autoptr(GHashTable) name_index = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GArray) name_pos = NULL;
  g_autoptr(GArray) nodes = NULL;
  const char *invalid = NULL;
  Parser p = { 0 };
  CbExpr *expr;
  gsize len;
  guint start, end;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = strlen (text);
  if (len > MAX_TEXT_BYTES)
    {
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX,
                   _("the expression is too long (more than %u bytes)"),
                   (guint) MAX_TEXT_BYTES);
      return NULL;
    }
  if (!g_utf8_validate (text, len, &invalid))
    {
      g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX,
                   _("position %u: the text is not valid UTF-8"),
                   (guint) g_utf8_strlen (text, invalid - text) + 1);
      return NULL;
    }

  nodes = g_array_new (FALSE, FALSE, sizeof (Node));
  names = g_ptr_array_new_with_free_func (g_free);
  name_pos = g_array_new (FALSE, FALSE, sizeof (guint));
  name_index = g_hash_table_new (g_str_hash, g_str_equal);

  p.text = text;
  p.len = len;
  p.nodes = nodes;
  p.names = names;
  p.name_pos = name_pos;
  p.name_index = name_index;
  p.error = error;

  if (!lex (&p) || !parse_expr (&p, &start, &end))
    return NULL;
  if (p.tok.kind != TOK_END)
    {
      g_autofree char *found = describe_token (&p);

      set_syntax_error (&p, CB_EXPR_ERROR_SYNTAX, p.tok.pos,
                        _("expected an operator or end of input, found %s"), found);
      return NULL;
    }

  expr = g_new0 (CbExpr, 1);
  g_atomic_ref_count_init (&expr->ref_count);
  expr->text = g_strdup (text);
  expr->n_nodes = nodes->len;
  expr->nodes = (Node *) (void *) g_array_free (g_steal_pointer (&nodes), FALSE);
  expr->n_names = names->len;
  g_ptr_array_set_free_func (names, NULL);
  g_ptr_array_add (names, NULL);
  expr->names = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  expr->name_pos = (guint *) (void *) g_array_free (g_steal_pointer (&name_pos), FALSE);

  /* Without names there is nothing to bind. */
  if (expr->n_names == 0)
    expr->program = compile (expr, NULL);
  return expr;
}

CbExpr *
cb_expr_ref (CbExpr *expr)
{
  g_return_val_if_fail (expr != NULL, NULL);

  g_atomic_ref_count_inc (&expr->ref_count);
  return expr;
}

void
cb_expr_unref (CbExpr *expr)
{
  g_return_if_fail (expr != NULL);

  if (!g_atomic_ref_count_dec (&expr->ref_count))
    return;
  g_free (expr->text);
  g_free (expr->nodes);
  g_strfreev (expr->names);
  g_free (expr->name_pos);
  program_free (expr->program);
  g_free (expr);
}

const char *
cb_expr_get_text (const CbExpr *expr)
{
  g_return_val_if_fail (expr != NULL, NULL);

  return expr->text;
}

const char * const *
cb_expr_get_names (const CbExpr *expr)
{
  g_return_val_if_fail (expr != NULL, NULL);

  return (const char * const *) expr->names;
}

gboolean
cb_expr_is_bound (const CbExpr *expr)
{
  g_return_val_if_fail (expr != NULL, FALSE);

  return expr->program != NULL;
}

guint
cb_expr_get_n_operations (const CbExpr *expr)
{
  g_return_val_if_fail (expr != NULL, 0);
  g_return_val_if_fail (expr->program != NULL, 0);

  return expr->program->n_code;
}

static gboolean
slot_matches (const char *name,
              const char *slot)
{
  g_autofree char *normal = NULL;

  if (strcmp (name, slot) == 0)
    return TRUE;
  if (g_str_is_ascii (slot))
    return FALSE;
  normal = g_utf8_normalize (slot, -1, G_NORMALIZE_NFC);
  return normal != NULL && strcmp (name, normal) == 0;
}

static void
set_unknown_name_error (const CbExpr        *expr,
                        guint                name,
                        const char * const  *slots,
                        guint                n_slots,
                        GError             **error)
{
  g_autoptr(GString) known = g_string_new (NULL);
  guint listed = 0;

  for (guint j = 0; j < n_slots; j++)
    {
      if (slots[j] == NULL)
        continue;
      if (listed == 20)
        {
          g_string_append (known, ", …");
          break;
        }
      if (listed > 0)
        g_string_append (known, ", ");
      g_string_append (known, slots[j]);
      listed++;
    }

  if (listed == 0)
    g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_UNKNOWN_NAME,
                 _("position %u: unknown name '%s' (no names are defined)"),
                 expr->name_pos[name], expr->names[name]);
  else
    g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_UNKNOWN_NAME,
                 _("position %u: unknown name '%s' (expected one of %s)"),
                 expr->name_pos[name], expr->names[name], known->str);
}

gboolean
cb_expr_bind (CbExpr              *expr,
              const char * const  *slots,
              guint                n_slots,
              GError             **error)
{
  g_autofree guint *slot_of_name = NULL;

  g_return_val_if_fail (expr != NULL, FALSE);
  g_return_val_if_fail (slots != NULL || n_slots == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  slot_of_name = g_new (guint, expr->n_names + 1);
  for (guint i = 0; i < expr->n_names; i++)
    {
      guint j;

      for (j = 0; j < n_slots; j++)
        if (slots[j] != NULL && slot_matches (expr->names[i], slots[j]))
          break;
      if (j == n_slots)
        {
          set_unknown_name_error (expr, i, slots, n_slots, error);
          return FALSE;
        }
      slot_of_name[i] = j;
    }

  program_free (expr->program);
  expr->program = compile (expr, slot_of_name);
  return TRUE;
}

gboolean
cb_expr_evaluate (const CbExpr  *expr,
                  const double  *values,
                  double        *result,
                  GError       **error)
{
  double stack_regs[STACK_REGS];
  g_autofree double *heap_regs = NULL;
  const Program *prog;
  Source src = { NULL, values };
  double *regs;

  g_return_val_if_fail (expr != NULL, FALSE);
  g_return_val_if_fail (expr->program != NULL, FALSE);
  g_return_val_if_fail (values != NULL || expr->program->n_used == 0, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  prog = expr->program;
  if (prog->n_regs <= STACK_REGS)
    regs = stack_regs;
  else
    regs = heap_regs = g_new (double, prog->n_regs);

  /* The same code as block evaluation, so that both agree to the bit. */
  if (run_chunk (prog, &src, 0, 1, regs, 1, result))
    return TRUE;
  if (explain_sample (expr, &src, 0, error))
    set_unexplained_error (expr, error);
  return FALSE;
}

gboolean
cb_expr_evaluate_block (const CbExpr         *expr,
                        const double * const *columns,
                        gsize                 n_samples,
                        double               *out,
                        GError              **error)
{
  g_autofree double *scratch = NULL;
  const Program *prog;
  Source src = { columns, NULL };
  gsize chunk;

  g_return_val_if_fail (expr != NULL, FALSE);
  g_return_val_if_fail (expr->program != NULL, FALSE);
  g_return_val_if_fail (columns != NULL || expr->program->n_used == 0, FALSE);
  g_return_val_if_fail (out != NULL || n_samples == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_samples == 0)
    return TRUE;
  prog = expr->program;
  chunk = MIN (n_samples, BLOCK_CHUNK);
  scratch = g_new (double, (gsize) MAX (prog->n_regs, 1) * chunk);

  for (gsize offset = 0; offset < n_samples; offset += chunk)
    {
      gsize n = MIN (chunk, n_samples - offset);

      if (!run_chunk (prog, &src, offset, n, scratch, chunk, out + offset))
        {
          /* Name the first failing sample, in sample order. */
          for (gsize i = 0; i < n; i++)
            if (!explain_sample (expr, &src, offset + i, error))
              return FALSE;
          set_unexplained_error (expr, error);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
cb_expr_evaluate_jet (const CbExpr         *expr,
                      const CbJet * const  *args,
                      CbJet                *result,
                      GError              **error)
{
  g_autofree CbJet *regs = NULL;
  g_autofree double *data = NULL;
  const Program *prog;
  CbJet *const_a, *const_b;
  guint n, n_jets;
  gboolean second_order;
  gsize per_jet;

  g_return_val_if_fail (expr != NULL, FALSE);
  g_return_val_if_fail (expr->program != NULL, FALSE);
  g_return_val_if_fail (args != NULL || expr->program->n_used == 0, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  prog = expr->program;
  n = result->n;
  second_order = result->second_order;
  for (guint u = 0; u < prog->n_used; u++)
    {
      const CbJet *arg = args[prog->used_slots[u]];

      g_return_val_if_fail (arg != NULL, FALSE);
      g_return_val_if_fail (arg->n == n, FALSE);
      g_return_val_if_fail (!second_order || arg->second_order, FALSE);
      if (!isfinite (arg->value))
        {
          set_input_error (expr, prog->used_names[u], arg->value, error);
          return FALSE;
        }
    }

  /* Registers, then one constant jet for each operand. */
  n_jets = prog->n_regs + 2;
  per_jet = n + (second_order ? (gsize) n * n : 0);
  regs = g_new0 (CbJet, n_jets);
  data = g_new0 (double, n_jets * per_jet + 1);
  for (guint k = 0; k < n_jets; k++)
    {
      regs[k].n = n;
      regs[k].second_order = second_order;
      regs[k].grad = data + k * per_jet;
      regs[k].hess = second_order ? regs[k].grad + n : NULL;
    }
  const_a = &regs[prog->n_regs];
  const_b = &regs[prog->n_regs + 1];

  for (guint k = 0; k < prog->n_code; k++)
    {
      const Instr *in = &prog->code[k];
      const CbJet *a = jet_operand (prog, &in->a, args, regs, const_a);
      const CbJet *b = OP_IS_BINARY (in->op) ? jet_operand (prog, &in->b, args, regs, const_b) : NULL;
      CbJet *r = &regs[in->dst];
      double x = a->value;
      double y = b != NULL ? b->value : 0;
      double v;
      EvalStatus status;

      status = apply_scalar (in->op, x, y, &v);
      if (status == EVAL_OK)
        status = jet_apply (in, r, a, b, v);
      if (status == EVAL_OK && !jet_is_finite (r))
        status = EVAL_DERIVATIVE;
      if (status != EVAL_OK)
        {
          set_eval_error (expr, in, x, y, status, error);
          return FALSE;
        }
    }

  cb_jet_copy (result, jet_operand (prog, &prog->result, args, regs, const_a));
  return TRUE;
}

CbJet *
cb_jet_new (guint    n,
            gboolean second_order)
{
  CbJet *jet;
  gsize n_hess = 0;
  gboolean fits = g_size_checked_mul (&n_hess, n, n);

  g_return_val_if_fail (!second_order || fits, NULL);

  jet = g_new0 (CbJet, 1);
  jet->n = n;
  jet->second_order = second_order != FALSE;
  jet->grad = g_new0 (double, n);
  jet->hess = second_order ? g_new0 (double, n_hess) : NULL;
  return jet;
}

void
cb_jet_free (CbJet *jet)
{
  if (jet == NULL)
    return;
  g_free (jet->grad);
  g_free (jet->hess);
  g_free (jet);
}

void
cb_jet_set_variable (CbJet  *jet,
                     double  value,
                     guint   index)
{
  g_return_if_fail (jet != NULL);
  g_return_if_fail (index < jet->n);

  jet->value = value;
  memset (jet->grad, 0, jet->n * sizeof (double));
  jet->grad[index] = 1;
  if (jet->second_order)
    memset (jet->hess, 0, (gsize) jet->n * jet->n * sizeof (double));
}

void
cb_jet_copy (CbJet       *dest,
             const CbJet *src)
{
  g_return_if_fail (dest != NULL);
  g_return_if_fail (src != NULL);
  g_return_if_fail (dest->n == src->n);

  jet_assign (dest, src);
}

static CbUnit *
unit_error (const CbExpr  *expr,
            const Node    *node,
            GError       **error,
            const char    *format,
            ...) G_GNUC_PRINTF (4, 5);

static CbUnit *
unit_error (const CbExpr  *expr,
            const Node    *node,
            GError       **error,
            const char    *format,
            ...)
{
  g_autofree char *what = NULL;
  g_autofree char *span = g_strndup (expr->text + node->start, node->end - node->start);
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CB_UNIT_ERROR, CB_UNIT_ERROR_MISMATCH,
               /* Translators: "in 'p - t': MPa − °C: the units differ" */
               _("in '%s': %s"), span, what);
  return NULL;
}

CbUnit *
cb_expr_infer_unit (const CbExpr    *expr,
                    CbExprUnitFunc   func,
                    gpointer         user_data,
                    GError         **error)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_unit_free);
  /* The constant on top of each stack entry, for exponents; NAN otherwise. */
  g_autoptr(GArray) constants = g_array_new (FALSE, FALSE, sizeof (double));

  g_return_val_if_fail (expr != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  for (guint i = 0; i < expr->n_nodes; i++)
    {
      const Node *node = &expr->nodes[i];
      CbUnit *result = NULL;
      double constant = NAN;

      if (node->op == OP_CONST)
        {
          result = cb_unit_new_any ();
          constant = node->value;
        }
      else if (node->op == OP_VAR)
        {
          const CbUnit *unit = func (expr->names[node->name], user_data);

          if (unit == NULL)
            {
              g_set_error (error, CB_UNIT_ERROR, CB_UNIT_ERROR_MISMATCH,
                           _("'%s' has no unit"), expr->names[node->name]);
              return NULL;
            }
          result = cb_unit_copy (unit);
        }
      else if (!OP_IS_BINARY (node->op))
        {
          g_autoptr(CbUnit) a = NULL;

          g_assert (stack->len >= 1);
          a = g_ptr_array_steal_index (stack, stack->len - 1);
          g_array_set_size (constants, constants->len - 1);

          switch (node->op)
            {
            case OP_NEG:
            case OP_ABS:
              result = g_steal_pointer (&a);
              break;
            case OP_STEP:
              result = cb_unit_new_dimensionless ();
              break;
            case OP_SQRT:
              result = cb_unit_power (a, 0.5, NULL);
              if (result == NULL)
                {
                  g_autofree char *text = cb_unit_to_string (a);
                  return unit_error (expr, node, error, _("the square root of %s is not a unit"), text);
                }
              break;
            default:
              if (!cb_unit_is_any (a) && !cb_unit_is_dimensionless (a))
                {
                  g_autofree char *text = cb_unit_to_string (a);
                  return unit_error (expr, node, error,
                                     _("the argument is in %s but must be dimensionless"), text);
                }
              result = cb_unit_new_dimensionless ();
              break;
            }
        }
      else
        {
          g_autoptr(CbUnit) b = NULL;
          g_autoptr(CbUnit) a = NULL;
          double b_constant;

          g_assert (stack->len >= 2);
          b = g_ptr_array_steal_index (stack, stack->len - 1);
          a = g_ptr_array_steal_index (stack, stack->len - 1);
          b_constant = g_array_index (constants, double, constants->len - 1);
          g_array_set_size (constants, constants->len - 2);

          switch (node->op)
            {
            case OP_ADD:
            case OP_SUB:
            case OP_MIN:
            case OP_MAX:
            case OP_ATAN2:
              if (!cb_unit_equal (a, b))
                {
                  g_autofree char *ta = cb_unit_to_string (a);
                  g_autofree char *tb = cb_unit_to_string (b);
                  return unit_error (expr, node, error, _("%s and %s: the units differ"), ta, tb);
                }
              if (node->op == OP_ATAN2)
                result = cb_unit_new_dimensionless ();
              else
                result = cb_unit_is_any (a) ? g_steal_pointer (&b) : g_steal_pointer (&a);
              break;
            case OP_MUL:
              result = cb_unit_multiply (a, b);
              break;
            case OP_DIV:
              result = cb_unit_divide (a, b);
              break;
            case OP_POW:
              if (cb_unit_is_any (a) || cb_unit_is_dimensionless (a))
                {
                  if (!cb_unit_is_any (b) && !cb_unit_is_dimensionless (b))
                    {
                      g_autofree char *tb = cb_unit_to_string (b);
                      return unit_error (expr, node, error,
                                         _("the exponent is in %s but must be dimensionless"), tb);
                    }
                  result = g_steal_pointer (&a);
                }
              else if (isnan (b_constant))
                {
                  g_autofree char *ta = cb_unit_to_string (a);
                  return unit_error (expr, node, error,
                                     _("%s may only be raised to a constant power"), ta);
                }
              else
                {
                  result = cb_unit_power (a, b_constant, NULL);
                  if (result == NULL)
                    {
                      g_autofree char *ta = cb_unit_to_string (a);
                      return unit_error (expr, node, error, _("%s to the power %g is not a unit"),
                                         ta, b_constant);
                    }
                }
              break;
            default:
              g_assert_not_reached ();
            }
        }

      g_ptr_array_add (stack, result);
      g_array_append_val (constants, constant);
    }

  g_assert (stack->len == 1);
  return g_ptr_array_steal_index (stack, 0);
}
