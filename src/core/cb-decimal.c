/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <float.h>
#include <math.h>
#include <string.h>

#include "cb-rounding.h"

/* Bounds of any CbDecimal this module works with.  Parsed values stay far
 * inside (CB_DECIMAL_MAX_*); the slack lets rounding pad a value to a much
 * finer place without ever allocating without bound. */
#define DECIMAL_MAX_LENGTH   1500
#define DECIMAL_MAX_EXPONENT 1500

#define UNICODE_MINUS            0x2212
#define UNICODE_TIMES            0x00D7
#define FULLWIDTH_LEFT_PAREN     0xFF08
#define FULLWIDTH_RIGHT_PAREN    0xFF09
#define SUPERSCRIPT_PLUS         0x207A
#define SUPERSCRIPT_MINUS        0x207B

/* A cursor over the part of a text being parsed; positions in messages
 * count characters from the start of the whole text. */
typedef struct
{
  const char *text;
  const char *p;
  const char *end;
} Scanner;

/* Helpers */

static gunichar
scanner_peek (const Scanner *s)
{
  if (s->p >= s->end)
    return 0;
  return g_utf8_get_char (s->p);
}

static void
scanner_advance (Scanner *s)
{
  if (s->p < s->end)
    s->p = g_utf8_next_char (s->p);
}

static glong
scanner_position (const Scanner *s,
                  const char    *at)
{
  return g_utf8_pointer_to_offset (s->text, at) + 1;
}

static void
scanner_skip_spaces (Scanner *s)
{
  while (s->p < s->end && g_unichar_isspace (scanner_peek (s)))
    scanner_advance (s);
}

static void
describe_char (gunichar c,
               char     buf[16])
{
  if (g_unichar_isprint (c))
    buf[g_unichar_to_utf8 (c, buf)] = '\0';
  else
    g_snprintf (buf, 16, "U+%04X", (guint) c);
}

/* Reports what was expected at the cursor and what was found there. */
static void
scanner_fail (const Scanner *s,
              const char    *expected,
              GError       **error)
{
  glong position = scanner_position (s, s->p);

  if (s->p >= s->end)
    {
      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_SYNTAX,
                   _("position %ld: %s, found the end of the text"),
                   position, expected);
    }
  else
    {
      char found[16];

      describe_char (scanner_peek (s), found);
      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_SYNTAX,
                   _("position %ld: %s, found '%s'"),
                   position, expected, found);
    }
}

static gboolean
is_sign (gunichar c)
{
  return c == '+' || c == '-' || c == UNICODE_MINUS;
}

static int
superscript_digit (gunichar c)
{
  switch (c)
    {
    case 0x2070: return 0;
    case 0x00B9: return 1;
    case 0x00B2: return 2;
    case 0x00B3: return 3;
    case 0x2074: return 4;
    case 0x2075: return 5;
    case 0x2076: return 6;
    case 0x2077: return 7;
    case 0x2078: return 8;
    case 0x2079: return 9;
    default: return -1;
    }
}

/* Reads the digits of an exponent; saturates far beyond any supported
 * exponent so that the range check, not an overflow, decides. */
static gboolean
scan_exponent_digits (Scanner  *s,
                      gboolean  superscript,
                      gint64   *value,
                      GError  **error)
{
  gboolean any = FALSE;

  *value = 0;
  for (;;)
    {
      gunichar c = scanner_peek (s);
      int digit = superscript ? superscript_digit (c) : (g_ascii_isdigit (c) ? (int) (c - '0') : -1);

      if (digit < 0)
        break;
      if (*value < G_GINT64_CONSTANT (1000000000))
        *value = *value * 10 + digit;
      any = TRUE;
      scanner_advance (s);
    }

  if (!any)
    {
      scanner_fail (s, _("expected a digit"), error);
      return FALSE;
    }
  return TRUE;
}

/* "×10^3", "×10^-3", "×10³", "×10⁻³" or "×10" (10^1), after the sign. */
static gboolean
scan_power_of_ten (Scanner  *s,
                   gint64   *power,
                   GError  **error)
{
  gunichar c;
  int sign = 1;

  scanner_skip_spaces (s);
  if (scanner_peek (s) != '1')
    {
      scanner_fail (s, _("expected “10”"), error);
      return FALSE;
    }
  scanner_advance (s);
  if (scanner_peek (s) != '0')
    {
      scanner_fail (s, _("expected “10”"), error);
      return FALSE;
    }
  scanner_advance (s);

  c = scanner_peek (s);
  if (c == '^')
    {
      scanner_advance (s);
      c = scanner_peek (s);
      if (is_sign (c))
        {
          sign = c == '+' ? 1 : -1;
          scanner_advance (s);
        }
      if (!scan_exponent_digits (s, FALSE, power, error))
        return FALSE;
    }
  else if (c == SUPERSCRIPT_PLUS || c == SUPERSCRIPT_MINUS || superscript_digit (c) >= 0)
    {
      if (c == SUPERSCRIPT_PLUS || c == SUPERSCRIPT_MINUS)
        {
          sign = c == SUPERSCRIPT_PLUS ? 1 : -1;
          scanner_advance (s);
        }
      if (!scan_exponent_digits (s, TRUE, power, error))
        return FALSE;
    }
  else
    {
      *power = 1;
    }

  *power *= sign;
  return TRUE;
}

/* Catches "nan", "inf", "Infinity" to say why they are refused. */
static gboolean
scan_non_finite (const Scanner *s,
                 GError       **error)
{
  const char *q = s->p;
  g_autofree char *word = NULL;

  while (q < s->end && g_ascii_isalpha (*q))
    q++;
  if (q == s->p)
    return FALSE;

  word = g_ascii_strdown (s->p, q - s->p);
  if (!g_str_equal (word, "nan") && !g_str_equal (word, "inf") && !g_str_equal (word, "infinity"))
    return FALSE;

  g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_SYNTAX,
               _("position %ld: expected a finite number, found '%.*s'"),
               scanner_position (s, s->p), (int) (q - s->p), s->p);
  return TRUE;
}

/* A blank span: the whole text is empty, or (inside a longer text such as
 * a limit "1.2~") the number is missing before whatever follows it. */
static void
report_missing_number (const Scanner  *s,
                       GError        **error)
{
  gunichar next;

  if (*s->end == '\0' && s->text[strspn (s->text, " \t\r\n")] == '\0')
    {
      g_set_error_literal (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_SYNTAX,
                           _("expected a number, found empty text"));
      return;
    }

  /* The text goes on past the span: name the character there, read
   * carefully since only the span itself was validated. */
  next = g_utf8_get_char_validated (s->end, -1);
  if (*s->end == '\0' || next == (gunichar) -1 || next == (gunichar) -2)
    {
      Scanner at_end = { s->text, s->end, s->end };

      scanner_fail (&at_end, _("expected a number"), error);
    }
  else
    {
      Scanner beyond = { s->text, s->end, g_utf8_next_char (s->end) };

      scanner_fail (&beyond, _("expected a number"), error);
    }
}

static CbDecimal *
decimal_new (gboolean     negative,
             char        *coefficient,
             int          exponent,
             CbRoundMark  mark)
{
  CbDecimal *decimal = g_new0 (CbDecimal, 1);

  decimal->coefficient = coefficient;
  decimal->negative = negative && !g_str_equal (coefficient, "0");
  decimal->exponent = exponent;
  decimal->mark = mark;
  return decimal;
}

static CbDecimal *
parse_number (Scanner  *s,
              GError  **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *number_start;
  const char *exponent_start = NULL;
  const char *mark_start = NULL;
  const char *number_end;
  const char *too_many = NULL;
  gboolean negative = FALSE;
  gboolean any_digit = FALSE;
  gboolean saw_point = FALSE;
  gboolean after_digits;
  CbRoundMark mark = CB_ROUND_MARK_NONE;
  gint64 fraction_digits = 0;
  gint64 power = 0;
  gint64 exponent;
  gint64 first_place;
  gunichar c;

  scanner_skip_spaces (s);
  if (s->p >= s->end)
    {
      report_missing_number (s, error);
      return NULL;
    }
  number_start = s->p;

  c = scanner_peek (s);
  if (is_sign (c))
    {
      negative = c != '+';
      scanner_advance (s);
    }

  if (scan_non_finite (s, error))
    return NULL;

  /* Mantissa: digits, optionally a point and more digits. */
  while (g_ascii_isdigit (scanner_peek (s)))
    {
      /* Leading zeros carry no digit. */
      if (digits->len > 0 || *s->p != '0')
        {
          g_string_append_c (digits, *s->p);
          if (digits->len == CB_DECIMAL_MAX_DIGITS + 1)
            too_many = s->p;
        }
      any_digit = TRUE;
      scanner_advance (s);
    }
  if (scanner_peek (s) == '.')
    {
      saw_point = TRUE;
      scanner_advance (s);
      while (g_ascii_isdigit (scanner_peek (s)))
        {
          if (digits->len > 0 || *s->p != '0')
            {
              g_string_append_c (digits, *s->p);
              if (digits->len == CB_DECIMAL_MAX_DIGITS + 1)
                too_many = s->p;
            }
          fraction_digits++;
          any_digit = TRUE;
          scanner_advance (s);
        }
    }
  if (!any_digit)
    {
      scanner_fail (s, _("expected a digit"), error);
      return NULL;
    }
  after_digits = TRUE;

  /* Exponent: "e-3" directly after the digits, or "×10^-3". */
  c = scanner_peek (s);
  if (c == 'e' || c == 'E')
    {
      int sign = 1;

      exponent_start = s->p;
      scanner_advance (s);
      c = scanner_peek (s);
      if (is_sign (c))
        {
          sign = c == '+' ? 1 : -1;
          scanner_advance (s);
        }
      if (!scan_exponent_digits (s, FALSE, &power, error))
        return NULL;
      power *= sign;
    }
  else
    {
      const char *before_spaces = s->p;

      scanner_skip_spaces (s);
      c = scanner_peek (s);
      if (c == UNICODE_TIMES || c == 'x' || c == 'X')
        {
          exponent_start = s->p;
          scanner_advance (s);
          if (!scan_power_of_ten (s, &power, error))
            return NULL;
          after_digits = FALSE;
        }
      else
        {
          s->p = before_spaces;
        }
    }

  number_end = s->p;

  /* The GB/T 8170 3.3 mark. */
  scanner_skip_spaces (s);
  c = scanner_peek (s);
  if (c == '(' || c == FULLWIDTH_LEFT_PAREN)
    {
      mark_start = s->p;
      scanner_advance (s);
      c = scanner_peek (s);
      if (!is_sign (c))
        {
          scanner_fail (s, _("expected “(+)” or “(−)”"), error);
          return NULL;
        }
      mark = c == '+' ? CB_ROUND_MARK_PLUS : CB_ROUND_MARK_MINUS;
      scanner_advance (s);
      c = scanner_peek (s);
      if (c != ')' && c != FULLWIDTH_RIGHT_PAREN)
        {
          scanner_fail (s, _("expected “(+)” or “(−)”"), error);
          return NULL;
        }
      scanner_advance (s);
      after_digits = FALSE;
    }

  scanner_skip_spaces (s);
  if (s->p < s->end)
    {
      /* Digits could only have continued right after the last one. */
      if (s->p != number_end)
        after_digits = FALSE;
      scanner_fail (s, after_digits ? _("expected a digit or the end of the number")
                                    : _("expected the end of the number"),
                    error);
      return NULL;
    }

  if (too_many != NULL)
    {
      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_RANGE,
                   _("position %ld: more than %d significant digits; at most %d are supported"),
                   scanner_position (s, too_many), CB_DECIMAL_MAX_DIGITS, CB_DECIMAL_MAX_DIGITS);
      return NULL;
    }

  if (digits->len == 0)
    g_string_append_c (digits, '0');

  /* "1250(+)": in an integer written without a point or an exponent, the
   * zeros after a marked 5 only hold places (125×10, marked). */
  if (mark != CB_ROUND_MARK_NONE && !saw_point && exponent_start == NULL)
    {
      gsize zeros = 0;

      while (zeros + 1 < digits->len && digits->str[digits->len - 1 - zeros] == '0')
        zeros++;
      if (digits->str[digits->len - 1 - zeros] == '5')
        {
          g_string_truncate (digits, digits->len - zeros);
          power += (gint64) zeros;
        }
    }

  exponent = power - fraction_digits;
  first_place = exponent + (gint64) digits->len - 1;
  if (exponent < -CB_DECIMAL_MAX_EXPONENT || exponent > CB_DECIMAL_MAX_EXPONENT ||
      first_place < -CB_DECIMAL_MAX_EXPONENT || first_place > CB_DECIMAL_MAX_EXPONENT)
    {
      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_RANGE,
                   _("position %ld: the number is out of the supported range: its digits must lie between 10^-%d and 10^%d"),
                   scanner_position (s, exponent_start != NULL ? exponent_start : number_start),
                   CB_DECIMAL_MAX_EXPONENT, CB_DECIMAL_MAX_EXPONENT);
      return NULL;
    }

  if (mark != CB_ROUND_MARK_NONE && digits->str[digits->len - 1] != '5')
    {
      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_SYNTAX,
                   _("position %ld: a (+) or (−) mark may only follow a final digit 5"),
                   scanner_position (s, mark_start));
      return NULL;
    }

  return decimal_new (negative, g_string_free (g_steal_pointer (&digits), FALSE), (int) exponent, mark);
}

static int
compare_magnitude (const CbDecimal *a,
                   const CbDecimal *b)
{
  gsize la = strlen (a->coefficient);
  gsize lb = strlen (b->coefficient);
  gint64 first_a = (gint64) a->exponent + (gint64) la;
  gint64 first_b = (gint64) b->exponent + (gint64) lb;
  gsize i;

  if (first_a != first_b)
    return first_a < first_b ? -1 : 1;

  /* Same leading place: compare digit by digit, the shorter padded with
   * zeros. */
  for (i = 0; i < MAX (la, lb); i++)
    {
      char da = i < la ? a->coefficient[i] : '0';
      char db = i < lb ? b->coefficient[i] : '0';

      if (da != db)
        return da < db ? -1 : 1;
    }
  return 0;
}

static gboolean
is_zero (const CbDecimal *decimal)
{
  return decimal->coefficient[0] == '0';
}

/* Public API */

CbDecimal *
cb_decimal_parse_span (const char  *text,
                       gsize        start,
                       gsize        length,
                       GError     **error)
{
  const char *invalid = NULL;
  Scanner s;

  if (text == NULL)
    {
      g_set_error_literal (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_SYNTAX,
                           _("expected a number, found empty text"));
      return NULL;
    }

  /* Positions are counted in characters from the start of @text, so the
   * whole prefix must be valid UTF-8 too. */
  if (!g_utf8_validate_len (text, start + length, &invalid))
    {
      Scanner prefix = { text, invalid, invalid };

      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_SYNTAX,
                   _("position %ld: expected a digit, found a byte that is not UTF-8 text"),
                   scanner_position (&prefix, invalid));
      return NULL;
    }

  s.text = text;
  s.p = text + start;
  s.end = text + start + length;
  return parse_number (&s, error);
}

CbDecimal *
cb_decimal_parse (const char  *text,
                  GError     **error)
{
  return cb_decimal_parse_span (text, 0, text != NULL ? strlen (text) : 0, error);
}

CbDecimal *
cb_decimal_from_double (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char *mark, *end;
  int precision;

  if (!isfinite (value))
    return NULL;

  /* The shortest decimal that reads back as the double.  When one of at
   * most 15 digits does, rounding a normal double to 15 digits gives it
   * (the double is within half a unit of its 17th digit), padded with
   * zeros; otherwise 16 digits may do, and 17 always do.  A subnormal
   * double has fewer digits of its own: the first precision that reads
   * back. */
  for (precision = fabs (value) < DBL_MIN && value != 0 ? 0 : 14;; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%de", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (precision == 16 || g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  mark = strchr (buffer, 'e');
  for (end = mark; end[-1] == '0'; end--)
    ;
  if (end[-1] == '.')
    end--;
  memmove (end, mark, strlen (mark) + 1);

  return cb_decimal_parse (buffer, NULL);
}

CbDecimal *
cb_decimal_copy (const CbDecimal *decimal)
{
  g_return_val_if_fail (decimal != NULL, NULL);

  return decimal_new (decimal->negative, g_strdup (decimal->coefficient),
                      decimal->exponent, decimal->mark);
}

void
cb_decimal_free (CbDecimal *decimal)
{
  if (decimal == NULL)
    return;
  g_free (decimal->coefficient);
  g_free (decimal);
}

gboolean
cb_decimal_is_valid (const CbDecimal *decimal)
{
  const char *c;
  gsize length;

  if (decimal == NULL || decimal->coefficient == NULL)
    return FALSE;

  c = decimal->coefficient;
  length = strlen (c);
  if (length == 0 || length > DECIMAL_MAX_LENGTH)
    return FALSE;
  if (strspn (c, "0123456789") != length)
    return FALSE;
  if (c[0] == '0' && (length > 1 || decimal->negative))
    return FALSE;
  if (decimal->exponent < -DECIMAL_MAX_EXPONENT || decimal->exponent > DECIMAL_MAX_EXPONENT)
    return FALSE;

  switch (decimal->mark)
    {
    case CB_ROUND_MARK_NONE:
      return TRUE;
    case CB_ROUND_MARK_PLUS:
    case CB_ROUND_MARK_MINUS:
      return c[length - 1] == '5';
    default:
      return FALSE;
    }
}

static void
append_mark (GString     *out,
             CbRoundMark  mark)
{
  if (mark == CB_ROUND_MARK_PLUS)
    g_string_append (out, "(+)");
  else if (mark == CB_ROUND_MARK_MINUS)
    g_string_append (out, "(-)");
}

char *
cb_decimal_to_string (const CbDecimal *decimal)
{
  GString *out;
  const char *c;
  gsize length;

  g_return_val_if_fail (cb_decimal_is_valid (decimal), NULL);

  c = decimal->coefficient;
  length = strlen (c);
  out = g_string_sized_new (length + 8);
  if (decimal->negative)
    g_string_append_c (out, '-');

  if (decimal->exponent >= 0)
    {
      g_string_append (out, c);
      /* A zero rounded at 1000 is just 0: no zeros to show the place. */
      if (!is_zero (decimal))
        {
          int i;

          for (i = 0; i < decimal->exponent; i++)
            g_string_append_c (out, '0');
        }
    }
  else
    {
      gsize fraction = (gsize) -(gint64) decimal->exponent;

      if (length > fraction)
        {
          g_string_append_len (out, c, length - fraction);
          g_string_append_c (out, '.');
          g_string_append (out, c + length - fraction);
        }
      else
        {
          gsize i;

          g_string_append (out, "0.");
          for (i = length; i < fraction; i++)
            g_string_append_c (out, '0');
          g_string_append (out, c);
        }
    }

  append_mark (out, decimal->mark);
  return g_string_free (out, FALSE);
}

char *
cb_decimal_to_string_sci (const CbDecimal *decimal)
{
  GString *out;
  const char *c;
  gsize length;
  gint64 power;

  g_return_val_if_fail (cb_decimal_is_valid (decimal), NULL);

  c = decimal->coefficient;
  length = strlen (c);

  if (is_zero (decimal))
    {
      if (decimal->exponent <= 0)
        return cb_decimal_to_string (decimal);
      return g_strdup_printf ("0×10^%d", decimal->exponent);
    }

  power = (gint64) decimal->exponent + (gint64) length - 1;
  if (power == 0)
    return cb_decimal_to_string (decimal);

  out = g_string_sized_new (length + 16);
  if (decimal->negative)
    g_string_append_c (out, '-');
  g_string_append_c (out, c[0]);
  if (length > 1)
    {
      g_string_append_c (out, '.');
      g_string_append (out, c + 1);
    }
  g_string_append_printf (out, "×10^%" G_GINT64_FORMAT, power);
  append_mark (out, decimal->mark);
  return g_string_free (out, FALSE);
}

double
cb_decimal_to_double (const CbDecimal *decimal)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (cb_decimal_is_valid (decimal), NAN);

  text = g_strdup_printf ("%s%se%d", decimal->negative ? "-" : "",
                          decimal->coefficient, decimal->exponent);
  return g_ascii_strtod (text, NULL);
}

int
cb_decimal_compare (const CbDecimal *a,
                    const CbDecimal *b)
{
  int sign_a;
  int sign_b;

  g_return_val_if_fail (cb_decimal_is_valid (a), 0);
  g_return_val_if_fail (cb_decimal_is_valid (b), 0);

  sign_a = is_zero (a) ? 0 : (a->negative ? -1 : 1);
  sign_b = is_zero (b) ? 0 : (b->negative ? -1 : 1);
  if (sign_a != sign_b)
    return sign_a < sign_b ? -1 : 1;
  if (sign_a == 0)
    return 0;

  return sign_a * compare_magnitude (a, b);
}

int
cb_decimal_get_last_place (const CbDecimal *decimal)
{
  g_return_val_if_fail (decimal != NULL, 0);

  return decimal->exponent;
}
