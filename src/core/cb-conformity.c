/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cb-conformity.h"
#include "cb-rounding.h"
#include "cb-stats.h"

/* Kinds of term, also the bits of CbMpe.present. */
enum
{
  TERM_READING    = 1 << 0,
  TERM_RANGE      = 1 << 1,
  TERM_DIGITS     = 1 << 2,
  TERM_ABSOLUTE   = 1 << 3,
};

struct _CbMpe
{
  double   reading_percent;
  double   range_percent;
  double   digits;
  double   absolute;
  guint    present;       /* TERM_* */
  gboolean is_class;      /* written as an accuracy class: a percent of range */
};

typedef enum
{
  TOKEN_NUMBER,
  TOKEN_PLUS,
  TOKEN_PLUS_MINUS,
  TOKEN_OPEN,
  TOKEN_CLOSE,
  TOKEN_PERCENT,
  TOKEN_WORD,
  TOKEN_END,
} TokenKind;

typedef struct
{
  TokenKind kind;
  guint     pos;          /* 1-based character position */
  char     *text;         /* as written */
  char     *word;         /* TOKEN_WORD: ASCII-lowercased, dots removed */
  double    number;       /* TOKEN_NUMBER */
} Token;

typedef struct
{
  GArray   *tokens;       /* of Token, ending with TOKEN_END */
  guint     next;
  GError  **error;
} Parser;

/* What a word after a number means. */
typedef enum
{
  WORD_UNKNOWN,
  WORD_READING,
  WORD_RANGE,
  WORD_DIGITS,
  WORD_PPM,
  WORD_OF,
  WORD_CLASS,
  WORD_FULL,              /* "full", as in "full scale" */
  WORD_SCALE,
} WordKind;

/* Relative slack of the decision comparisons (see the header). */
#define DECISION_SLACK 1e-12

G_DEFINE_QUARK (cb-conformity-error-quark, cb_conformity_error)

static char *
format_number (double value)
{
  g_autoptr(CbDecimal) decimal = NULL;

  if (isnan (value))
    return g_strdup ("nan");
  if (isinf (value))
    return g_strdup (value > 0 ? "inf" : "-inf");
  decimal = cb_decimal_from_double (value);
  return cb_decimal_to_string (decimal);
}

static void
token_clear (gpointer data)
{
  Token *token = data;

  g_free (token->text);
  g_free (token->word);
}

static WordKind
classify_word (const char *word)
{
  static const struct { const char *word; WordKind kind; } words[] = {
    { "rdg", WORD_READING }, { "rd", WORD_READING }, { "rdng", WORD_READING },
    { "reading", WORD_READING }, { "readings", WORD_READING }, { "rdgs", WORD_READING },
    { "读数", WORD_READING }, { "示值", WORD_READING },
    { "fs", WORD_RANGE }, { "range", WORD_RANGE }, { "rng", WORD_RANGE },
    { "fullscale", WORD_RANGE }, { "量程", WORD_RANGE }, { "满量程", WORD_RANGE },
    { "满度", WORD_RANGE },
    { "d", WORD_DIGITS }, { "dgt", WORD_DIGITS }, { "dgts", WORD_DIGITS },
    { "digit", WORD_DIGITS }, { "digits", WORD_DIGITS }, { "count", WORD_DIGITS },
    { "counts", WORD_DIGITS }, { "字", WORD_DIGITS }, { "个字", WORD_DIGITS },
    { "ppm", WORD_PPM },
    { "of", WORD_OF },
    { "class", WORD_CLASS }, { "cl", WORD_CLASS }, { "级", WORD_CLASS },
    { "full", WORD_FULL },
    { "scale", WORD_SCALE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_str_equal (word, words[i].word))
      return words[i].kind;
  return WORD_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* Tokens                                                              */
/* ------------------------------------------------------------------ */

static void
add_token (GArray     *tokens,
           TokenKind   kind,
           guint       pos,
           const char *start,
           const char *end)
{
  Token token = { kind, pos, g_strndup (start, end - start), NULL, 0 };

  g_array_append_val (tokens, token);
}

static gboolean
is_minus (gunichar c)
{
  return c == '-' || c == 0x2212;
}

/* Splits @text into tokens; NULL (with @error set) on a character that
 * belongs to no token. */
static GArray *
tokenize (const char  *text,
          GError     **error)
{
  g_autoptr(GArray) tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  const char *p = text;
  guint pos = 1;

  g_array_set_clear_func (tokens, token_clear);

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      const char *start = p;
      guint start_pos = pos;

      if (g_unichar_isspace (c))
        {
          p = g_utf8_next_char (p);
          pos++;
        }
      else if (g_ascii_isdigit (*p) || (*p == '.' && g_ascii_isdigit (p[1])))
        {
          g_autofree char *number = NULL;
          Token *token;
          double value;

          while (g_ascii_isdigit (*p))
            p++;
          if (*p == '.')
            for (p++; g_ascii_isdigit (*p); p++)
              ;
          if ((*p == 'e' || *p == 'E') &&
              (g_ascii_isdigit (p[1]) || ((p[1] == '+' || p[1] == '-') && g_ascii_isdigit (p[2]))))
            for (p += 2; g_ascii_isdigit (*p); p++)
              ;
          pos += p - start;

          number = g_strndup (start, p - start);
          value = g_ascii_strtod (number, NULL);
          if (!isfinite (value))
            {
              g_set_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_SYNTAX,
                           _("position %u: the number '%s' is too large"), start_pos, number);
              return NULL;
            }
          add_token (tokens, TOKEN_NUMBER, start_pos, start, p);
          token = &g_array_index (tokens, Token, tokens->len - 1);
          token->number = value;
        }
      else if (g_unichar_isalpha (c))
        {
          Token *token;
          GString *word = g_string_new (NULL);

          /* Dots belong to words so that "F.S." reads as one. */
          while (*p != '\0' && (g_unichar_isalpha (g_utf8_get_char (p)) || *p == '.'))
            {
              const char *next = g_utf8_next_char (p);

              if (*p != '.')
                g_string_append_len (word, p, next - p);
              p = next;
              pos++;
            }
          add_token (tokens, TOKEN_WORD, start_pos, start, p);
          token = &g_array_index (tokens, Token, tokens->len - 1);
          token->word = g_ascii_strdown (word->str, -1);
          g_string_free (word, TRUE);
        }
      else if (c == '+' || c == 0xFF0B)
        {
          p = g_utf8_next_char (p);
          pos++;
          /* "+-", "+−" and "+/-" spell ±. */
          if (is_minus (g_utf8_get_char (p)))
            {
              p = g_utf8_next_char (p);
              pos++;
              add_token (tokens, TOKEN_PLUS_MINUS, start_pos, start, p);
            }
          else if (*p == '/' && is_minus (g_utf8_get_char (p + 1)))
            {
              p = g_utf8_next_char (p + 1);
              pos += 2;
              add_token (tokens, TOKEN_PLUS_MINUS, start_pos, start, p);
            }
          else
            add_token (tokens, TOKEN_PLUS, start_pos, start, p);
        }
      else
        {
          TokenKind kind;

          p = g_utf8_next_char (p);
          pos++;
          switch (c)
            {
            case 0x00B1:                /* ± */
              kind = TOKEN_PLUS_MINUS;
              break;
            case '(':
            case 0xFF08:
              kind = TOKEN_OPEN;
              break;
            case ')':
            case 0xFF09:
              kind = TOKEN_CLOSE;
              break;
            case '%':
            case 0xFF05:
              kind = TOKEN_PERCENT;
              break;
            default:
              {
                g_autofree char *shown = g_strndup (start, p - start);

                if (is_minus (c))
                  g_set_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_SYNTAX,
                               _("position %u: unexpected '%s': a maximum permissible error is a magnitude, "
                                 "write it as ±… and its terms with +"),
                               start_pos, shown);
                else
                  g_set_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_SYNTAX,
                               _("position %u: unexpected character '%s'"), start_pos, shown);
                return NULL;
              }
            }
          add_token (tokens, kind, start_pos, start, p);
        }
    }

  {
    Token end = { TOKEN_END, pos, g_strdup (""), NULL, 0 };

    g_array_append_val (tokens, end);
  }
  return g_steal_pointer (&tokens);
}

/* ------------------------------------------------------------------ */
/* Parser                                                              */
/* ------------------------------------------------------------------ */

static const Token *
peek (Parser *parser,
      guint   ahead)
{
  guint index = MIN (parser->next + ahead, parser->tokens->len - 1);

  return &g_array_index (parser->tokens, Token, index);
}

static const Token *
take (Parser *parser)
{
  const Token *token = peek (parser, 0);

  if (token->kind != TOKEN_END)
    parser->next++;
  return token;
}

static gboolean
fail_at (Parser      *parser,
         const Token *token,
         const char  *expected)
{
  if (token->kind == TOKEN_END)
    g_set_error (parser->error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_SYNTAX,
                 _("position %u: %s, found the end of the text"), token->pos, expected);
  else
    g_set_error (parser->error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_SYNTAX,
                 _("position %u: %s, found '%s'"), token->pos, expected, token->text);
  return FALSE;
}

static WordKind
word_kind (const Token *token)
{
  return token->kind == TOKEN_WORD ? classify_word (token->word) : WORD_UNKNOWN;
}

/* After "%" or "ppm": [of] (reading | range | full scale). */
static gboolean
parse_base (Parser     *parser,
            guint      *kind,
            const char *after)
{
  const Token *token;
  WordKind word;

  if (word_kind (peek (parser, 0)) == WORD_OF)
    take (parser);

  token = take (parser);
  word = word_kind (token);
  if (word == WORD_READING)
    *kind = TERM_READING;
  else if (word == WORD_RANGE)
    *kind = TERM_RANGE;
  else if (word == WORD_FULL && word_kind (peek (parser, 0)) == WORD_SCALE)
    {
      take (parser);
      *kind = TERM_RANGE;
    }
  else
    {
      g_autofree char *expected = NULL;

      /* Translators: %s is "%" or "ppm"; a bare percentage does not say of what. */
      expected = g_strdup_printf (_("expected rdg (of reading) or FS (of range) after “%s”"), after);
      return fail_at (parser, token, expected);
    }
  return TRUE;
}

static gboolean
parse_term (Parser *parser,
            CbMpe  *mpe)
{
  const Token *number = take (parser);
  const Token *token;
  double value;
  guint kind;

  if (number->kind != TOKEN_NUMBER)
    return fail_at (parser, number, _("expected a number"));
  value = number->number;

  token = peek (parser, 0);
  if (token->kind == TOKEN_PERCENT)
    {
      take (parser);
      if (!parse_base (parser, &kind, "%"))
        return FALSE;
    }
  else if (token->kind == TOKEN_WORD)
    {
      switch (word_kind (token))
        {
        case WORD_PPM:
          take (parser);
          if (!parse_base (parser, &kind, "ppm"))
            return FALSE;
          value /= 1e4;
          break;
        case WORD_DIGITS:
          take (parser);
          kind = TERM_DIGITS;
          break;
        case WORD_READING:
        case WORD_RANGE:
          /* xgettext:no-c-format */
          return fail_at (parser, token, _("expected “%” or “ppm” before the word for reading or range"));
        case WORD_CLASS:
          return fail_at (parser, token, _("expected an accuracy class alone, as in “class 0.4” or “0.4级”"));
        case WORD_UNKNOWN:
        case WORD_OF:
        case WORD_FULL:
        case WORD_SCALE:
        default:
          /* xgettext:no-c-format */
          return fail_at (parser, token, _("expected a unit: %rdg, %FS, ppm or d (digits)"));
        }
    }
  else
    kind = TERM_ABSOLUTE;

  if (mpe->present & kind)
    return fail_at (parser, number, _("expected each kind of term once (combine the repeated one)"));
  mpe->present |= kind;

  switch (kind)
    {
    case TERM_READING:
      mpe->reading_percent = value;
      break;
    case TERM_RANGE:
      mpe->range_percent = value;
      break;
    case TERM_DIGITS:
      mpe->digits = value;
      break;
    case TERM_ABSOLUTE:
    default:
      mpe->absolute = value;
      break;
    }
  return TRUE;
}

/* "class 0.4", "cl. 0.4", "0.4级", "0.4 class"; the cursor is at the start. */
static gboolean
try_parse_class (Parser   *parser,
                 CbMpe    *mpe,
                 gboolean *matched)
{
  const Token *first = peek (parser, 0);
  const Token *second = peek (parser, 1);
  const Token *number;

  if (word_kind (first) == WORD_CLASS)
    number = second;
  else if (first->kind == TOKEN_NUMBER && word_kind (second) == WORD_CLASS)
    number = first;
  else
    {
      *matched = FALSE;
      return TRUE;
    }

  *matched = TRUE;
  if (number->kind != TOKEN_NUMBER)
    return fail_at (parser, number, _("expected the accuracy class index, a number"));
  if (number->number <= 0)
    return fail_at (parser, number, _("expected a positive accuracy class index"));
  take (parser);
  take (parser);

  mpe->range_percent = number->number;
  mpe->present = TERM_RANGE;
  mpe->is_class = TRUE;
  return TRUE;
}

CbMpe *
cb_mpe_parse (const char  *text,
              GError     **error)
{
  g_autoptr(GArray) tokens = NULL;
  g_autoptr(CbMpe) mpe = NULL;
  Parser parser = { 0 };
  const char *bad = NULL;
  gboolean is_class = FALSE;
  gboolean parenthesised = FALSE;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text != NULL && !g_utf8_validate (text, -1, &bad))
    {
      g_set_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_SYNTAX,
                   _("position %ld: the text is not valid UTF-8"),
                   g_utf8_pointer_to_offset (text, bad) + 1);
      return NULL;
    }

  tokens = text != NULL ? tokenize (text, error) : NULL;
  if (text != NULL && tokens == NULL)
    return NULL;
  if (tokens == NULL || tokens->len == 1)
    {
      g_set_error_literal (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_SYNTAX,
                           /* xgettext:no-c-format */
                           _("expected a maximum permissible error such as ±(0.05%rdg + 2d), found empty text"));
      return NULL;
    }

  mpe = g_new0 (CbMpe, 1);
  parser.tokens = tokens;
  parser.error = error;

  if (!try_parse_class (&parser, mpe, &is_class))
    return NULL;

  if (!is_class)
    {
      if (peek (&parser, 0)->kind == TOKEN_PLUS_MINUS)
        take (&parser);
      if (peek (&parser, 0)->kind == TOKEN_OPEN)
        {
          take (&parser);
          parenthesised = TRUE;
        }

      if (!parse_term (&parser, mpe))
        return NULL;
      while (peek (&parser, 0)->kind == TOKEN_PLUS || peek (&parser, 0)->kind == TOKEN_PLUS_MINUS)
        {
          take (&parser);
          if (!parse_term (&parser, mpe))
            return NULL;
        }

      if (parenthesised)
        {
          const Token *close = take (&parser);

          if (close->kind != TOKEN_CLOSE)
            {
              fail_at (&parser, close, _("expected “+” or “)”"));
              return NULL;
            }
        }
    }

  {
    const Token *end = take (&parser);

    if (end->kind != TOKEN_END)
      {
        fail_at (&parser, end, is_class ? _("expected the end of the text after the accuracy class")
                                        : _("expected “+” or the end of the text"));
        return NULL;
      }
  }

  return g_steal_pointer (&mpe);
}

CbMpe *
cb_mpe_copy (const CbMpe *mpe)
{
  g_return_val_if_fail (mpe != NULL, NULL);

  return g_memdup2 (mpe, sizeof *mpe);
}

void
cb_mpe_free (CbMpe *mpe)
{
  g_free (mpe);
}

CbMpeNeeds
cb_mpe_get_needs (const CbMpe *mpe)
{
  CbMpeNeeds needs = CB_MPE_NEEDS_NOTHING;

  g_return_val_if_fail (mpe != NULL, CB_MPE_NEEDS_NOTHING);

  if (mpe->present & TERM_READING)
    needs |= CB_MPE_NEEDS_READING;
  if (mpe->present & TERM_RANGE)
    needs |= CB_MPE_NEEDS_RANGE;
  if (mpe->present & TERM_DIGITS)
    needs |= CB_MPE_NEEDS_RESOLUTION;
  return needs;
}

void
cb_mpe_get_terms (const CbMpe *mpe,
                  double      *reading_percent,
                  double      *range_percent,
                  double      *digits,
                  double      *absolute)
{
  g_return_if_fail (mpe != NULL);

  if (reading_percent != NULL)
    *reading_percent = mpe->reading_percent;
  if (range_percent != NULL)
    *range_percent = mpe->range_percent;
  if (digits != NULL)
    *digits = mpe->digits;
  if (absolute != NULL)
    *absolute = mpe->absolute;
}

static gboolean
check_input (const CbMpe  *mpe,
             gboolean      needed,
             double        value,
             gboolean      positive,
             const char   *name,
             const char   *missing,
             GError      **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *formula = NULL;

  if (!needed)
    return TRUE;

  if (isnan (value))
    {
      formula = cb_mpe_to_string (mpe);
      /* Translators: the first %s is a formula such as ±(0.05%rdg + 2d),
       * the second says what is missing ("the reading"). */
      g_set_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_MISSING,
                   _("the maximum permissible error %s needs %s, which was not given"),
                   formula, missing);
      return FALSE;
    }

  if (!isfinite (value) || (positive && value <= 0))
    {
      shown = format_number (value);
      g_set_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_INVALID,
                   positive ? _("%s: expected a positive number, found %s")
                            : _("%s: expected a finite number, found %s"),
                   name, shown);
      return FALSE;
    }

  return TRUE;
}

gboolean
cb_mpe_evaluate (const CbMpe  *mpe,
                 double        reading,
                 double        range,
                 double        resolution,
                 double       *value,
                 GError      **error)
{
  double total = 0;

  g_return_val_if_fail (mpe != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_input (mpe, mpe->present & TERM_READING, reading, FALSE,
                    _("reading"), _("the reading"), error) ||
      !check_input (mpe, mpe->present & TERM_RANGE, range, TRUE,
                    _("range"), _("the range (full-scale value)"), error) ||
      !check_input (mpe, mpe->present & TERM_DIGITS, resolution, TRUE,
                    _("resolution"), _("the resolution (value of one digit)"), error))
    return FALSE;

  if (mpe->present & TERM_READING)
    total += mpe->reading_percent / 100 * fabs (reading);
  if (mpe->present & TERM_RANGE)
    total += mpe->range_percent / 100 * range;
  if (mpe->present & TERM_DIGITS)
    total += mpe->digits * resolution;
  if (mpe->present & TERM_ABSOLUTE)
    total += mpe->absolute;

  if (!isfinite (total))
    {
      g_set_error_literal (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_INVALID,
                           _("the maximum permissible error is too large to compute"));
      return FALSE;
    }

  if (value != NULL)
    *value = total;
  return TRUE;
}

char *
cb_mpe_to_string (const CbMpe *mpe)
{
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  g_return_val_if_fail (mpe != NULL, NULL);

  if (mpe->is_class)
    {
      g_autofree char *index = format_number (mpe->range_percent);

      return g_strdup_printf ("class %s", index);
    }

  if (mpe->present & TERM_READING)
    {
      g_autofree char *a = format_number (mpe->reading_percent);
      g_ptr_array_add (terms, g_strdup_printf ("%s%%rdg", a));
    }
  if (mpe->present & TERM_RANGE)
    {
      g_autofree char *b = format_number (mpe->range_percent);
      g_ptr_array_add (terms, g_strdup_printf ("%s%%FS", b));
    }
  if (mpe->present & TERM_DIGITS)
    {
      g_autofree char *n = format_number (mpe->digits);
      g_ptr_array_add (terms, g_strdup_printf ("%sd", n));
    }
  if (mpe->present & TERM_ABSOLUTE)
    g_ptr_array_add (terms, format_number (mpe->absolute));
  g_ptr_array_add (terms, NULL);

  joined = g_strjoinv (" + ", (char **) terms->pdata);
  if (terms->len > 2)
    return g_strdup_printf ("±(%s)", joined);
  return g_strdup_printf ("±%s", joined);
}

/* ------------------------------------------------------------------ */
/* Conformance probability                                             */
/* ------------------------------------------------------------------ */

static gboolean
probability_arguments_valid (double y,
                             double u,
                             double lower,
                             double upper)
{
  return isfinite (y) && isfinite (u) && u >= 0 &&
         !isnan (lower) && !isnan (upper) && lower <= upper;
}

double
cb_conformance_probability (double y,
                            double u,
                            double lower,
                            double upper)
{
  double below, above;

  if (!probability_arguments_valid (y, u, lower, upper))
    return NAN;
  if (u == 0)
    return y >= lower && y <= upper ? 1.0 : 0.0;

  /* Inside the interval p_c is near 1: subtract the two small tails.
   * Outside, p_c is small: take the difference of two small CDF values
   * on the far side rather than of two values near 1. */
  if (y > upper)
    {
      below = isinf (lower) ? 0 : cb_stats_normal_cdf ((lower - y) / u);
      return MAX (0.0, cb_stats_normal_cdf ((upper - y) / u) - below);
    }
  if (y < lower)
    {
      above = isinf (upper) ? 0 : cb_stats_normal_cdf ((y - upper) / u);
      return MAX (0.0, cb_stats_normal_cdf ((y - lower) / u) - above);
    }
  return MAX (0.0, 1.0 - cb_conformity_specific_risk (y, u, lower, upper));
}

double
cb_conformity_specific_risk (double y,
                             double u,
                             double lower,
                             double upper)
{
  double below, above;

  if (!probability_arguments_valid (y, u, lower, upper))
    return NAN;
  if (u == 0)
    return y >= lower && y <= upper ? 0.0 : 1.0;

  below = isinf (lower) ? 0 : cb_stats_normal_cdf ((lower - y) / u);
  above = isinf (upper) ? 0 : cb_stats_normal_cdf ((y - upper) / u);
  return MIN (1.0, below + above);
}

/* ------------------------------------------------------------------ */
/* Decision rules                                                      */
/* ------------------------------------------------------------------ */

static gboolean
check_argument (double       value,
                const char  *name,
                gboolean     strictly_positive,
                GError     **error)
{
  g_autofree char *shown = NULL;

  if (isfinite (value) && (strictly_positive ? value > 0 : value >= 0))
    return TRUE;

  shown = format_number (value);
  g_set_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_INVALID,
               strictly_positive ? _("%s: expected a positive number, found %s")
                                 : _("%s: expected a non-negative number, found %s"),
               name, shown);
  return FALSE;
}

gboolean
cb_conformity_decide (CbDecisionRule     rule,
                      double             indication_error,
                      double             mpe,
                      double             expanded,
                      double             k,
                      double             guard_factor,
                      CbDecisionResult  *result,
                      GError           **error)
{
  CbDecisionResult r = { 0 };
  double e, slack, u;

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!isfinite (indication_error))
    {
      g_autofree char *shown = format_number (indication_error);

      g_set_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_INVALID,
                   _("%s: expected a finite number, found %s"), _("error"), shown);
      return FALSE;
    }
  if (!check_argument (mpe, "MPE", TRUE, error) ||
      !check_argument (expanded, "U", FALSE, error) ||
      !check_argument (k, "k", TRUE, error) ||
      !check_argument (guard_factor, _("guard factor"), FALSE, error))
    return FALSE;
  if ((guint) rule > CB_DECISION_RULE_ILAC_G8)
    {
      g_set_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_INVALID,
                   _("rule: unknown decision rule %d"), (int) rule);
      return FALSE;
    }

  r.rule = rule;
  r.indication_error = indication_error;
  r.mpe = mpe;
  r.expanded = expanded;
  r.k = k;
  r.ratio = expanded / mpe;

  e = fabs (indication_error);
  slack = DECISION_SLACK * (mpe + expanded * MAX (guard_factor, 1.0) + e);

#define AT_MOST(a, b) ((a) <= (b) + slack)

  switch (rule)
    {
    case CB_DECISION_RULE_SIMPLE:
      r.guard_band = 0;
      r.acceptance_limit = r.rejection_limit = mpe;
      r.decision = AT_MOST (e, mpe) ? CB_DECISION_PASS : CB_DECISION_FAIL;
      break;

    case CB_DECISION_RULE_GUARDED_ACCEPTANCE:
      r.guard_band = guard_factor * expanded;
      r.acceptance_limit = r.rejection_limit = mpe - r.guard_band;
      r.decision = AT_MOST (e, r.acceptance_limit) ? CB_DECISION_PASS : CB_DECISION_FAIL;
      break;

    case CB_DECISION_RULE_GUARDED_REJECTION:
      r.guard_band = guard_factor * expanded;
      r.acceptance_limit = r.rejection_limit = mpe + r.guard_band;
      r.decision = AT_MOST (e, r.acceptance_limit) ? CB_DECISION_PASS : CB_DECISION_FAIL;
      break;

    case CB_DECISION_RULE_JJF1094:
      r.direct = AT_MOST (3 * expanded, mpe);
      if (r.direct)
        {
          r.guard_band = 0;
          r.acceptance_limit = r.rejection_limit = mpe;
          r.decision = AT_MOST (e, mpe) ? CB_DECISION_PASS : CB_DECISION_FAIL;
        }
      else
        {
          r.guard_band = expanded;
          r.acceptance_limit = mpe - expanded;
          r.rejection_limit = mpe + expanded;
          if (AT_MOST (e, r.acceptance_limit))
            r.decision = CB_DECISION_PASS;
          else if (AT_MOST (r.rejection_limit, e))
            r.decision = CB_DECISION_FAIL;
          else
            r.decision = CB_DECISION_UNDETERMINED;
        }
      break;

    case CB_DECISION_RULE_ILAC_G8:
    default:
      r.guard_band = guard_factor * expanded;
      r.acceptance_limit = mpe - r.guard_band;
      r.rejection_limit = mpe + r.guard_band;
      if (AT_MOST (e, r.acceptance_limit))
        r.decision = CB_DECISION_PASS;
      else if (AT_MOST (e, mpe))
        r.decision = CB_DECISION_CONDITIONAL_PASS;
      else if (AT_MOST (e, r.rejection_limit))
        r.decision = CB_DECISION_CONDITIONAL_FAIL;
      else
        r.decision = CB_DECISION_FAIL;
      break;
    }

#undef AT_MOST

  u = expanded / k;
  r.conformance_probability = cb_conformance_probability (indication_error, u, -mpe, mpe);
  /* A negative acceptance limit (w > MPE) within the slack is a limit at 0. */
  if (r.acceptance_limit >= -slack)
    r.acceptance_limit_risk = cb_conformity_specific_risk (MAX (r.acceptance_limit, 0.0), u, -mpe, mpe);
  else
    r.acceptance_limit_risk = NAN;

  *result = r;
  return TRUE;
}

static const struct
{
  CbDecisionRule rule;
  const char    *name;
} rule_names[] = {
  { CB_DECISION_RULE_SIMPLE, "simple" },
  { CB_DECISION_RULE_GUARDED_ACCEPTANCE, "guarded-acceptance" },
  { CB_DECISION_RULE_GUARDED_REJECTION, "guarded-rejection" },
  { CB_DECISION_RULE_JJF1094, "jjf1094" },
  { CB_DECISION_RULE_ILAC_G8, "ilac-g8" },
  { CB_DECISION_RULE_GUARDED_ACCEPTANCE, "guard" },
  { CB_DECISION_RULE_ILAC_G8, "ilac" },
};

const char *
cb_decision_rule_to_string (CbDecisionRule rule)
{
  for (guint i = 0; i < G_N_ELEMENTS (rule_names); i++)
    if (rule_names[i].rule == rule)
      return rule_names[i].name;
  return NULL;
}

gboolean
cb_decision_rule_from_string (const char     *text,
                              CbDecisionRule *rule)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (rule_names); i++)
    if (g_ascii_strcasecmp (text, rule_names[i].name) == 0)
      {
        if (rule != NULL)
          *rule = rule_names[i].rule;
        return TRUE;
      }
  return FALSE;
}

const char *
cb_decision_rule_get_title (CbDecisionRule rule)
{
  switch (rule)
    {
    case CB_DECISION_RULE_SIMPLE:
      return _("Simple acceptance (pass when |e| ≤ MPE)");
    case CB_DECISION_RULE_GUARDED_ACCEPTANCE:
      return _("Guarded acceptance (pass when |e| ≤ MPE − w, w = r·U)");
    case CB_DECISION_RULE_GUARDED_REJECTION:
      return _("Guarded rejection (fail when |e| > MPE + w, w = r·U)");
    case CB_DECISION_RULE_JJF1094:
      return _("JJF 1094-2002 (undetermined between MPEV − U95 and MPEV + U95)");
    case CB_DECISION_RULE_ILAC_G8:
      return _("ILAC-G8:09/2019 non-binary statements (guard band w = r·U)");
    default:
      return NULL;
    }
}

const char *
cb_decision_to_string (CbDecision decision)
{
  switch (decision)
    {
    case CB_DECISION_PASS:
      return "pass";
    case CB_DECISION_CONDITIONAL_PASS:
      return "conditional-pass";
    case CB_DECISION_CONDITIONAL_FAIL:
      return "conditional-fail";
    case CB_DECISION_FAIL:
      return "fail";
    case CB_DECISION_UNDETERMINED:
      return "undetermined";
    default:
      return NULL;
    }
}

const char *
cb_decision_get_statement (CbDecisionRule rule,
                           CbDecision     decision)
{
  switch (decision)
    {
    case CB_DECISION_PASS:
      if (rule == CB_DECISION_RULE_GUARDED_ACCEPTANCE)
        return _("Pass (the error is within the acceptance limit MPE − w)");
      if (rule == CB_DECISION_RULE_GUARDED_REJECTION)
        return _("Pass (the error does not exceed the limit by more than the guard band)");
      if (rule == CB_DECISION_RULE_ILAC_G8)
        return _("Pass (the error is within the limit by more than the guard band)");
      return _("Pass");
    case CB_DECISION_CONDITIONAL_PASS:
      return _("Conditional pass (the error is within the limit but the expanded uncertainty interval crosses it)");
    case CB_DECISION_CONDITIONAL_FAIL:
      return _("Conditional fail (the error exceeds the limit but the expanded uncertainty interval crosses it)");
    case CB_DECISION_FAIL:
      if (rule == CB_DECISION_RULE_GUARDED_ACCEPTANCE)
        return _("Fail (the error is beyond the acceptance limit MPE − w)");
      if (rule == CB_DECISION_RULE_GUARDED_REJECTION || rule == CB_DECISION_RULE_ILAC_G8)
        return _("Fail (the error exceeds the limit by more than the guard band)");
      return _("Fail");
    case CB_DECISION_UNDETERMINED:
      return _("Undetermined (JJF 1094: |e| is within MPEV ± U95)");
    default:
      return NULL;
    }
}
