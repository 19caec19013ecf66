/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "cb-rounding.h"

/* Rounding works on the digit strings, so that the decimal digits as
 * entered decide and not their nearest binary double.  Magnitudes below are
 * plain digit strings, most significant first, without leading zeros ("0"
 * for zero). */

#define PLACE_LIMIT (2 * CB_DECIMAL_MAX_EXPONENT)

#define UNICODE_GE         "\u2265"  /* ≥ */
#define UNICODE_LE         "\u2264"  /* ≤ */
#define UNICODE_GE_SLANTED "\u2a7e"  /* ⩾ */
#define UNICODE_LE_SLANTED "\u2a7d"  /* ⩽ */
#define FULLWIDTH_TILDE    "\uff5e"  /* ～ */
#define PLUS_MINUS         "\u00b1"  /* ± */

/* Where the rounded value lies against the true value, for the GB/T 8170
 * 3.3 marks: below it means "(+)", above it "(−)". */
typedef enum
{
  ROUNDED_EXACT,
  ROUNDED_BELOW,
  ROUNDED_ABOVE,
} Direction;

typedef enum
{
  LIMIT_GE,
  LIMIT_GT,
  LIMIT_LE,
  LIMIT_LT,
  LIMIT_EQ,
  LIMIT_RANGE,
} LimitKind;

G_DEFINE_QUARK (cb-rounding-error-quark, cb_rounding_error)

/* Digit strings */

static char *
digits_normalize (char *digits)
{
  gsize skip = strspn (digits, "0");
  gsize length = strlen (digits);

  if (length == 0)
    {
      g_free (digits);
      return g_strdup ("0");
    }
  if (skip == length)
    skip = length - 1;
  memmove (digits, digits + skip, length - skip + 1);
  return digits;
}

static gboolean
digits_is_zero (const char *digits)
{
  return digits[0] == '0';
}

static int
digits_compare (const char *a,
                const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  int cmp;

  if (la != lb)
    return la < lb ? -1 : 1;
  cmp = strcmp (a, b);
  return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
}

static char *
digits_add (const char *a,
            const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  gsize n = MAX (la, lb) + 1;
  char *out = g_malloc (n + 1);
  int carry = 0;
  gsize i;

  out[n] = '\0';
  for (i = 0; i < n; i++)
    {
      int da = i < la ? a[la - 1 - i] - '0' : 0;
      int db = i < lb ? b[lb - 1 - i] - '0' : 0;
      int sum = da + db + carry;

      out[n - 1 - i] = (char) ('0' + sum % 10);
      carry = sum / 10;
    }
  return digits_normalize (out);
}

/* a - b for a >= b. */
static char *
digits_subtract (const char *a,
                 const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  char *out = g_malloc (la + 1);
  int borrow = 0;
  gsize i;

  out[la] = '\0';
  for (i = 0; i < la; i++)
    {
      int da = a[la - 1 - i] - '0';
      int db = i < lb ? b[lb - 1 - i] - '0' : 0;
      int diff = da - db - borrow;

      borrow = diff < 0;
      if (diff < 0)
        diff += 10;
      out[la - 1 - i] = (char) ('0' + diff);
    }
  return digits_normalize (out);
}

/* a × 10^n. */
static char *
digits_shift (const char *a,
              gsize       n)
{
  gsize length = strlen (a);
  char *out;

  if (digits_is_zero (a))
    return g_strdup ("0");

  out = g_malloc (length + n + 1);
  memcpy (out, a, length);
  memset (out + length, '0', n);
  out[length + n] = '\0';
  return out;
}

/* Long division of magnitudes; the quotient only matters for its parity,
 * so it is kept as digits too. */
static void
digits_divide (const char  *numerator,
               const char  *denominator,
               char       **quotient,
               char       **remainder)
{
  GString *q = g_string_sized_new (strlen (numerator));
  char *r = g_strdup ("0");
  const char *p;

  for (p = numerator; *p != '\0'; p++)
    {
      char digit[2] = { *p, '\0' };
      char *shifted = digits_shift (r, 1);
      char *next = digits_add (shifted, digit);
      int count = 0;

      g_free (shifted);
      g_free (r);
      r = next;
      while (digits_compare (r, denominator) >= 0)
        {
          next = digits_subtract (r, denominator);
          g_free (r);
          r = next;
          count++;
        }
      g_string_append_c (q, (char) ('0' + count));
    }

  *quotient = digits_normalize (g_string_free (q, FALSE));
  *remainder = r;
}

/* Decimals */

static CbDecimal *
decimal_new (gboolean     negative,
             char        *coefficient,
             gint64       exponent,
             CbRoundMark  mark)
{
  CbDecimal *decimal = g_new0 (CbDecimal, 1);

  decimal->coefficient = coefficient;
  decimal->negative = negative && !digits_is_zero (coefficient);
  decimal->exponent = (int) CLAMP (exponent, G_MININT, G_MAXINT);
  decimal->mark = mark;
  return decimal;
}

static gboolean
check_decimal (const CbDecimal  *decimal,
               const char       *name,
               GError          **error)
{
  if (decimal == NULL)
    {
      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID,
                   _("%s: expected a number, found nothing"), name);
      return FALSE;
    }
  if (!cb_decimal_is_valid (decimal))
    {
      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_RANGE,
                   _("%s: expected a well-formed decimal number of a supported size"), name);
      return FALSE;
    }
  return TRUE;
}

/* Results can outgrow what the module supports only when a value is padded
 * to a place hundreds of digits away. */
static CbDecimal *
check_result (CbDecimal  *result,
              GError    **error)
{
  if (cb_decimal_is_valid (result))
    return result;

  cb_decimal_free (result);
  g_set_error_literal (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_RANGE,
                       _("the rounded value would have more digits than are supported"));
  return NULL;
}

static Direction
mark_direction (CbRoundMark mark)
{
  switch (mark)
    {
    case CB_ROUND_MARK_PLUS:
      return ROUNDED_BELOW;
    case CB_ROUND_MARK_MINUS:
      return ROUNDED_ABOVE;
    case CB_ROUND_MARK_NONE:
    default:
      return ROUNDED_EXACT;
    }
}

/* An exact half: a mark says on which side the true value lies (GB/T 8170
 * 3.3); unmarked, the even neighbour wins. */
static gboolean
tie_rounds_up (CbRoundMark  mark,
               const char  *kept)
{
  if (mark == CB_ROUND_MARK_PLUS)
    return TRUE;
  if (mark == CB_ROUND_MARK_MINUS)
    return FALSE;
  return (kept[strlen (kept) - 1] - '0') % 2 == 1;
}

/* Rounds the absolute value at 10^place in one step; the sign is put back
 * afterwards (GB/T 8170 3.2.5).  The result keeps the value's mark only
 * when nothing changed. */
static CbDecimal *
round_at_place (const CbDecimal *value,
                gint64           place,
                Direction       *direction_out)
{
  const char *c = value->coefficient;
  gsize length = strlen (c);
  gint64 drop = place - value->exponent;
  Direction direction;
  CbRoundMark mark = CB_ROUND_MARK_NONE;
  char *digits;

  if (drop <= 0)
    {
      /* Nothing to drop: pad with the zeros the place asks for. */
      digits = digits_shift (c, (gsize) -drop);
      direction = mark_direction (value->mark);
      if (drop == 0)
        mark = value->mark;
    }
  else
    {
      gboolean up;
      gboolean dropped_zero;
      char *kept;

      if ((guint64) drop > length)
        {
          /* The first dropped digit is a leading zero: below one half. */
          kept = g_strdup ("0");
          dropped_zero = digits_is_zero (c);
          up = FALSE;
        }
      else
        {
          gsize keep = length - (gsize) drop;
          const char *first = c + keep;
          const char *rest = first + 1;
          gboolean rest_zero = rest[strspn (rest, "0")] == '\0';

          kept = keep > 0 ? g_strndup (c, keep) : g_strdup ("0");
          dropped_zero = *first == '0' && rest_zero;
          if (*first > '5' || (*first == '5' && !rest_zero))
            up = TRUE;
          else if (*first < '5')
            up = FALSE;
          else
            up = tie_rounds_up (value->mark, kept);
        }

      if (up)
        {
          digits = digits_add (kept, "1");
          g_free (kept);
          direction = ROUNDED_ABOVE;
        }
      else
        {
          digits = kept;
          direction = dropped_zero ? mark_direction (value->mark) : ROUNDED_BELOW;
        }
    }

  if (direction_out != NULL)
    *direction_out = direction;
  return decimal_new (value->negative, digits, place, mark);
}

static CbDecimal *
round_at_interval (const CbDecimal *value,
                   const CbDecimal *interval)
{
  gint64 e = MIN (value->exponent, interval->exponent);
  gsize interval_zeros = (gsize) (interval->exponent - e);
  g_autofree char *numerator = digits_shift (value->coefficient, (gsize) (value->exponent - e));
  g_autofree char *denominator = digits_shift (interval->coefficient, interval_zeros);
  g_autofree char *quotient = NULL;
  g_autofree char *remainder = NULL;
  g_autofree char *twice = NULL;
  g_autofree char *below = NULL;
  CbRoundMark mark = CB_ROUND_MARK_NONE;
  char *multiple;
  gboolean up;
  int cmp;

  /* |value| = quotient × interval + remainder; compare the remainder with
   * half the interval.  For 0.5 and 0.2 units this is the same as GB/T
   * 8170 3.4 (round 2X or 5X, then divide). */
  digits_divide (numerator, denominator, &quotient, &remainder);
  twice = digits_add (remainder, remainder);
  cmp = digits_compare (twice, denominator);
  if (cmp != 0)
    up = cmp > 0;
  else
    up = tie_rounds_up (value->mark, quotient);

  below = digits_subtract (numerator, remainder);
  multiple = up ? digits_add (below, denominator) : g_strdup (below);

  /* A multiple of the interval ends in the zeros that scaled it. */
  if (!digits_is_zero (multiple))
    multiple[strlen (multiple) - interval_zeros] = '\0';

  if (digits_is_zero (remainder) && interval->exponent == value->exponent)
    mark = value->mark;
  return decimal_new (value->negative, multiple, interval->exponent, mark);
}

/* Drops the zero a carry added: 9.96 at two digits is 10, not 10.0. */
static void
trim_carry (CbDecimal *decimal,
            guint      digits)
{
  gsize length = strlen (decimal->coefficient);

  if (length > digits && decimal->coefficient[length - 1] == '0')
    {
      decimal->coefficient[length - 1] = '\0';
      decimal->exponent++;
    }
}

/* Limits */

static gboolean
has_prefix (const char  *p,
            const char  *prefix,
            const char **after)
{
  if (!g_str_has_prefix (p, prefix))
    return FALSE;
  *after = p + strlen (prefix);
  return TRUE;
}

static const char *
find_first_of (const char        *text,
               const char *const *needles,
               const char       **needle_found)
{
  const char *best = NULL;
  gsize i;

  for (i = 0; needles[i] != NULL; i++)
    {
      const char *hit = strstr (text, needles[i]);

      if (hit != NULL && (best == NULL || hit < best))
        {
          best = hit;
          *needle_found = needles[i];
        }
    }
  return best;
}

static CbDecimal *
decimal_add (const CbDecimal *a,
             const CbDecimal *b,
             gboolean         subtract)
{
  gint64 e = MIN (a->exponent, b->exponent);
  g_autofree char *da = digits_shift (a->coefficient, (gsize) (a->exponent - e));
  g_autofree char *db = digits_shift (b->coefficient, (gsize) (b->exponent - e));
  gboolean negative_b = b->negative != subtract;

  if (a->negative == negative_b)
    return decimal_new (a->negative, digits_add (da, db), e, CB_ROUND_MARK_NONE);
  if (digits_compare (da, db) >= 0)
    return decimal_new (a->negative, digits_subtract (da, db), e, CB_ROUND_MARK_NONE);
  return decimal_new (negative_b, digits_subtract (db, da), e, CB_ROUND_MARK_NONE);
}

static CbDecimal *
parse_limit_number (const char  *limit,
                    const char  *start,
                    const char  *end,
                    GError     **error)
{
  CbDecimal *number = cb_decimal_parse_span (limit, start - limit, end - start, error);

  if (number != NULL && number->mark != CB_ROUND_MARK_NONE)
    {
      g_set_error_literal (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID,
                           _("a limit cannot carry a (+) or (−) mark"));
      g_clear_pointer (&number, cb_decimal_free);
    }
  return number;
}

static gboolean
parse_limit (const char  *limit,
             LimitKind   *kind,
             CbDecimal  **low_out,
             CbDecimal  **high_out,
             GError     **error)
{
  static const char *const separators[] = { "~", FULLWIDTH_TILDE, PLUS_MINUS, NULL };
  g_autoptr(CbDecimal) low = NULL;
  g_autoptr(CbDecimal) high = NULL;
  const char *invalid = NULL;
  const char *end;
  const char *p;
  const char *after = NULL;
  const char *separator = NULL;
  const char *found;

  if (limit == NULL || limit[strspn (limit, " \t")] == '\0')
    {
      g_set_error_literal (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID,
                           _("expected a limit such as ≥97.0, <0.5 or 10.0~12.0, found empty text"));
      return FALSE;
    }
  if (!g_utf8_validate (limit, -1, &invalid))
    {
      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_SYNTAX,
                   _("position %ld: expected a limit, found a byte that is not UTF-8 text"),
                   g_utf8_pointer_to_offset (limit, invalid) + 1);
      return FALSE;
    }

  end = limit + strlen (limit);
  for (p = limit; g_unichar_isspace (g_utf8_get_char (p)); p = g_utf8_next_char (p))
    ;

  if (has_prefix (p, ">=", &after) || has_prefix (p, UNICODE_GE, &after) ||
      has_prefix (p, UNICODE_GE_SLANTED, &after))
    *kind = LIMIT_GE;
  else if (has_prefix (p, ">", &after))
    *kind = LIMIT_GT;
  else if (has_prefix (p, "<=", &after) || has_prefix (p, UNICODE_LE, &after) ||
           has_prefix (p, UNICODE_LE_SLANTED, &after))
    *kind = LIMIT_LE;
  else if (has_prefix (p, "<", &after))
    *kind = LIMIT_LT;
  else if (has_prefix (p, "==", &after) || has_prefix (p, "=", &after))
    *kind = LIMIT_EQ;
  else
    after = NULL;

  if (after != NULL)
    {
      low = parse_limit_number (limit, after, end, error);
      if (low == NULL)
        return FALSE;
      *low_out = g_steal_pointer (&low);
      *high_out = NULL;
      return TRUE;
    }

  found = find_first_of (p, separators, &separator);
  if (found == NULL)
    {
      char shown[8] = { 0 };

      g_unichar_to_utf8 (g_utf8_get_char (p), shown);
      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_SYNTAX,
                   _("position %ld: expected >=, ≥, >, <=, ≤, <, = or a range such as 10.0~12.0, found '%s'"),
                   g_utf8_pointer_to_offset (limit, p) + 1, shown);
      return FALSE;
    }

  *kind = LIMIT_RANGE;
  low = parse_limit_number (limit, p, found, error);
  if (low == NULL)
    return FALSE;
  high = parse_limit_number (limit, found + strlen (separator), end, error);
  if (high == NULL)
    return FALSE;

  if (g_str_equal (separator, PLUS_MINUS))
    {
      g_autoptr(CbDecimal) centre = g_steal_pointer (&low);
      g_autoptr(CbDecimal) tolerance = g_steal_pointer (&high);

      if (tolerance->negative)
        {
          g_autofree char *shown = cb_decimal_to_string (tolerance);

          g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID,
                       _("the tolerance after ± must not be negative, found %s"), shown);
          return FALSE;
        }
      low = decimal_add (centre, tolerance, TRUE);
      high = decimal_add (centre, tolerance, FALSE);
    }

  if (cb_decimal_compare (low, high) > 0)
    {
      g_autofree char *low_text = cb_decimal_to_string (low);
      g_autofree char *high_text = cb_decimal_to_string (high);

      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID,
                   _("the lower limit %s is above the upper limit %s"), low_text, high_text);
      return FALSE;
    }

  *low_out = g_steal_pointer (&low);
  *high_out = g_steal_pointer (&high);
  return TRUE;
}

/* Public API */

CbDecimal *
cb_round_to_place (const CbDecimal *value,
                   int              place)
{
  if (!cb_decimal_is_valid (value) || place < -PLACE_LIMIT || place > PLACE_LIMIT)
    return NULL;

  return check_result (round_at_place (value, place, NULL), NULL);
}

CbDecimal *
cb_round_for_report (const CbDecimal *value,
                     int              place)
{
  CbDecimal *result;
  Direction direction;
  gsize length;

  if (!cb_decimal_is_valid (value) || place < -PLACE_LIMIT || place > PLACE_LIMIT)
    return NULL;

  result = round_at_place (value, place, &direction);
  length = strlen (result->coefficient);
  result->mark = CB_ROUND_MARK_NONE;
  if (result->coefficient[length - 1] == '5')
    {
      if (direction == ROUNDED_BELOW)
        result->mark = CB_ROUND_MARK_PLUS;
      else if (direction == ROUNDED_ABOVE)
        result->mark = CB_ROUND_MARK_MINUS;
    }
  return check_result (result, NULL);
}

CbDecimal *
cb_round_to_interval (const CbDecimal  *value,
                      const CbDecimal  *interval,
                      GError          **error)
{
  g_autoptr(CbDecimal) step = NULL;
  gsize length;
  gsize zeros;

  if (!check_decimal (value, "value", error) || !check_decimal (interval, "interval", error))
    return NULL;

  if (interval->negative || digits_is_zero (interval->coefficient))
    {
      g_autofree char *shown = cb_decimal_to_string (interval);

      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID,
                   _("interval: expected a positive number, found %s"), shown);
      return NULL;
    }

  /* The interval's value decides the result's last place, not how it was
   * written: 100 is 10^2, 0.50 is 0.5, 20 is 2 tens. */
  length = strlen (interval->coefficient);
  zeros = 0;
  while (zeros + 1 < length && interval->coefficient[length - 1 - zeros] == '0')
    zeros++;
  step = decimal_new (FALSE, g_strndup (interval->coefficient, length - zeros),
                      (gint64) interval->exponent + (gint64) zeros, CB_ROUND_MARK_NONE);

  /* A power of ten needs no division. */
  if (g_str_equal (step->coefficient, "1"))
    return check_result (round_at_place (value, step->exponent, NULL), error);

  return check_result (round_at_interval (value, step), error);
}

CbDecimal *
cb_round_to_significant (const CbDecimal  *value,
                         guint             digits,
                         GError          **error)
{
  CbDecimal *result;
  gint64 place;

  if (!check_decimal (value, "value", error))
    return NULL;
  if (digits == 0)
    {
      g_set_error_literal (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID,
                           _("significant digits: expected at least 1, found 0"));
      return NULL;
    }
  if (digits > CB_DECIMAL_MAX_DIGITS)
    {
      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_RANGE,
                   _("significant digits: expected at most %d, found %u"),
                   CB_DECIMAL_MAX_DIGITS, digits);
      return NULL;
    }

  /* Zero has no significant digit to count from. */
  if (digits_is_zero (value->coefficient))
    return cb_decimal_copy (value);

  place = (gint64) value->exponent + (gint64) strlen (value->coefficient) - (gint64) digits;
  result = round_at_place (value, place, NULL);
  trim_carry (result, digits);
  return check_result (result, error);
}

gboolean
cb_report_result (const CbDecimal  *value,
                  const CbDecimal  *expanded,
                  guint             sig,
                  gboolean          round_up,
                  CbDecimal       **value_out,
                  CbDecimal       **expanded_out,
                  GError          **error)
{
  g_autoptr(CbDecimal) U = NULL;
  g_autoptr(CbDecimal) y = NULL;
  const char *c;
  gsize length;
  guint digits;
  gint64 place;

  if (!check_decimal (value, "y", error) || !check_decimal (expanded, "U", error))
    return FALSE;

  if (expanded->negative || digits_is_zero (expanded->coefficient))
    {
      g_autofree char *shown = cb_decimal_to_string (expanded);

      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID,
                   _("U: expected a positive number, found %s"), shown);
      return FALSE;
    }
  if (sig > 2)
    {
      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID,
                   _("significant digits of U: expected 1, 2 or 0 (2 when U starts with 1 or 2, else 1), found %u"),
                   sig);
      return FALSE;
    }

  c = expanded->coefficient;
  length = strlen (c);
  if (sig != 0)
    digits = sig;
  else
    digits = (c[0] == '1' || c[0] == '2') ? 2 : 1;
  place = (gint64) expanded->exponent + (gint64) length - (gint64) digits;

  if (round_up && place > expanded->exponent)
    {
      /* The safer side: any dropped digit that is not zero raises the last
       * kept one (JJF 1059.1-2012 5.3.7). */
      gsize keep = length - (gsize) (place - expanded->exponent);
      char *kept = g_strndup (c, keep);

      if (c[keep + strspn (c + keep, "0")] != '\0')
        {
          char *raised = digits_add (kept, "1");

          g_free (kept);
          kept = raised;
        }
      U = decimal_new (FALSE, kept, place, CB_ROUND_MARK_NONE);
    }
  else
    {
      U = round_at_place (expanded, place, NULL);
    }
  trim_carry (U, digits);
  U = check_result (g_steal_pointer (&U), error);
  if (U == NULL)
    return FALSE;

  /* The result to the same place as U, padded with zeros if it has fewer
   * digits (6.3 with U 0.25 is reported as 6.30). */
  y = check_result (round_at_place (value, U->exponent, NULL), error);
  if (y == NULL)
    return FALSE;

  if (value_out != NULL)
    *value_out = g_steal_pointer (&y);
  if (expanded_out != NULL)
    *expanded_out = g_steal_pointer (&U);
  return TRUE;
}

gboolean
cb_limit_judge (const CbDecimal  *value,
                const char       *limit,
                CbLimitMethod     method,
                gboolean         *conforms,
                CbDecimal       **compared_out,
                GError          **error)
{
  g_autoptr(CbDecimal) low = NULL;
  g_autoptr(CbDecimal) high = NULL;
  g_autoptr(CbDecimal) compared = NULL;
  LimitKind kind;
  gboolean ok;

  if (!check_decimal (value, "value", error))
    return FALSE;
  if (method != CB_LIMIT_METHOD_ROUNDED && method != CB_LIMIT_METHOD_FULL)
    {
      g_set_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID,
                   _("method: expected rounded or full, found %d"), (int) method);
      return FALSE;
    }
  if (!parse_limit (limit, &kind, &low, &high, error))
    return FALSE;

  if (method == CB_LIMIT_METHOD_ROUNDED)
    {
      /* GB/T 8170 4.3.2: round to the place of the limit's last digit. */
      int place = low->exponent;

      if (high != NULL)
        place = MIN (place, high->exponent);
      compared = check_result (round_at_place (value, place, NULL), error);
      if (compared == NULL)
        return FALSE;
    }
  else
    {
      compared = cb_decimal_copy (value);
    }

  switch (kind)
    {
    case LIMIT_GE:
      ok = cb_decimal_compare (compared, low) >= 0;
      break;
    case LIMIT_GT:
      ok = cb_decimal_compare (compared, low) > 0;
      break;
    case LIMIT_LE:
      ok = cb_decimal_compare (compared, low) <= 0;
      break;
    case LIMIT_LT:
      ok = cb_decimal_compare (compared, low) < 0;
      break;
    case LIMIT_EQ:
      ok = cb_decimal_compare (compared, low) == 0;
      break;
    case LIMIT_RANGE:
    default:
      ok = cb_decimal_compare (compared, low) >= 0 && cb_decimal_compare (compared, high) <= 0;
      break;
    }

  if (conforms != NULL)
    *conforms = ok;
  if (compared_out != NULL)
    *compared_out = g_steal_pointer (&compared);
  return TRUE;
}
