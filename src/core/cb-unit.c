/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cb-unit.h"

#define MAX_FACTORS 16

typedef struct
{
  char *symbol;
  int   halves;   /* power × 2 */
} Factor;

struct _CbUnit
{
  gboolean any;
  guint    n;
  Factor   factors[MAX_FACTORS];   /* sorted by symbol, no zero powers */
};

G_DEFINE_QUARK (cb-unit-error-quark, cb_unit_error)

static CbUnit *
unit_new (void)
{
  return g_new0 (CbUnit, 1);
}

/* Multiplies @unit in place by @symbol^(halves/2), keeping the order. */
static gboolean
unit_add_factor (CbUnit     *unit,
                 const char *symbol,
                 int         halves)
{
  guint i;

  for (i = 0; i < unit->n; i++)
    {
      int cmp = strcmp (unit->factors[i].symbol, symbol);

      if (cmp == 0)
        {
          unit->factors[i].halves += halves;
          if (unit->factors[i].halves == 0)
            {
              g_free (unit->factors[i].symbol);
              memmove (&unit->factors[i], &unit->factors[i + 1],
                       (unit->n - i - 1) * sizeof (Factor));
              unit->n--;
            }
          return TRUE;
        }
      if (cmp > 0)
        break;
    }

  if (halves == 0)
    return TRUE;
  if (unit->n == MAX_FACTORS)
    return FALSE;

  memmove (&unit->factors[i + 1], &unit->factors[i], (unit->n - i) * sizeof (Factor));
  unit->factors[i].symbol = g_strdup (symbol);
  unit->factors[i].halves = halves;
  unit->n++;
  return TRUE;
}

static gboolean
is_separator (gunichar c)
{
  return c == ' ' || c == '*' || c == 0x00B7 /* · */ || c == 0x22C5 /* ⋅ */ || c == '/';
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
    default:     return -1;
    }
}

static gboolean
syntax_error (GError     **error,
              const char  *text,
              const char  *at,
              const char  *expected)
{
  glong position = g_utf8_pointer_to_offset (text, at) + 1;

  if (*at == '\0')
    g_set_error (error, CB_UNIT_ERROR, CB_UNIT_ERROR_SYNTAX,
                 _("unit '%s': position %ld: expected %s but the text ends"),
                 text, position, expected);
  else
    {
      char found[8] = { 0 };

      g_unichar_to_utf8 (g_utf8_get_char (at), found);
      g_set_error (error, CB_UNIT_ERROR, CB_UNIT_ERROR_SYNTAX,
                   _("unit '%s': position %ld: expected %s but found '%s'"),
                   text, position, expected, found);
    }
  return FALSE;
}

CbUnit *
cb_unit_parse (const char  *text,
               GError     **error)
{
  g_autoptr(CbUnit) unit = unit_new ();
  const char *p;
  int sign = 1;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, CB_UNIT_ERROR, CB_UNIT_ERROR_SYNTAX,
                   _("unit: expected UTF-8 text"));
      return NULL;
    }

  p = text;
  while (*p != '\0')
    {
      const char *start;
      g_autofree char *symbol = NULL;
      int power = 1;

      while (*p != '\0' && is_separator (g_utf8_get_char (p)))
        {
          if (*p == '/')
            {
              if (sign < 0)
                return syntax_error (error, text, p, _("one '/' at most")), NULL;
              sign = -1;
            }
          p = g_utf8_next_char (p);
        }
      if (*p == '\0')
        break;

      start = p;
      while (*p != '\0')
        {
          gunichar c = g_utf8_get_char (p);

          if (is_separator (c) || c == '^' || superscript_digit (c) >= 0 || c == 0x207B)
            break;
          /* Digits belong to a symbol ("%CH4") unless they start it. */
          if (g_unichar_isdigit (c) && p == start && c != '1')
            break;
          p = g_utf8_next_char (p);
        }
      if (p == start)
        return syntax_error (error, text, p, _("a unit symbol")), NULL;
      symbol = g_strndup (start, p - start);

      if (*p == '^')
        {
          char *end = NULL;
          long value;

          p++;
          value = strtol (p, &end, 10);
          if (end == p)
            return syntax_error (error, text, p, _("an integer power")), NULL;
          power = (int) CLAMP (value, -64, 64);
          p = end;
        }
      else if (g_utf8_get_char (p) == 0x207B || superscript_digit (g_utf8_get_char (p)) >= 0)
        {
          int negative = 1;
          int value = 0;
          gboolean any = FALSE;

          if (g_utf8_get_char (p) == 0x207B)
            {
              negative = -1;
              p = g_utf8_next_char (p);
            }
          while (superscript_digit (g_utf8_get_char (p)) >= 0)
            {
              value = MIN (value * 10 + superscript_digit (g_utf8_get_char (p)), 64);
              any = TRUE;
              p = g_utf8_next_char (p);
            }
          if (!any)
            return syntax_error (error, text, p, _("a superscript digit")), NULL;
          power = negative * value;
        }

      if (*p != '\0' && !is_separator (g_utf8_get_char (p)))
        return syntax_error (error, text, p, _("'·', '/' or the end")), NULL;

      /* "1" alone, or as a factor, is dimensionless. */
      if (g_str_equal (symbol, "1"))
        continue;
      if (!unit_add_factor (unit, symbol, 2 * sign * power))
        {
          g_set_error (error, CB_UNIT_ERROR, CB_UNIT_ERROR_SYNTAX,
                       _("unit '%s': more than %d symbols"), text, MAX_FACTORS);
          return NULL;
        }
    }

  return g_steal_pointer (&unit);
}

CbUnit *
cb_unit_new_dimensionless (void)
{
  return unit_new ();
}

CbUnit *
cb_unit_new_any (void)
{
  CbUnit *unit = unit_new ();

  unit->any = TRUE;
  return unit;
}

CbUnit *
cb_unit_copy (const CbUnit *unit)
{
  CbUnit *copy;

  g_return_val_if_fail (unit != NULL, NULL);

  copy = g_memdup2 (unit, sizeof *unit);
  for (guint i = 0; i < copy->n; i++)
    copy->factors[i].symbol = g_strdup (unit->factors[i].symbol);
  return copy;
}

void
cb_unit_free (CbUnit *unit)
{
  if (unit == NULL)
    return;
  for (guint i = 0; i < unit->n; i++)
    g_free (unit->factors[i].symbol);
  g_free (unit);
}

gboolean
cb_unit_is_any (const CbUnit *unit)
{
  return unit->any;
}

gboolean
cb_unit_is_dimensionless (const CbUnit *unit)
{
  return !unit->any && unit->n == 0;
}

gboolean
cb_unit_equal (const CbUnit *a,
               const CbUnit *b)
{
  if (a->any || b->any)
    return TRUE;
  if (a->n != b->n)
    return FALSE;
  for (guint i = 0; i < a->n; i++)
    if (a->factors[i].halves != b->factors[i].halves
        || strcmp (a->factors[i].symbol, b->factors[i].symbol) != 0)
      return FALSE;
  return TRUE;
}

static CbUnit *
combine (const CbUnit *a,
         const CbUnit *b,
         int           sign)
{
  CbUnit *result;

  /* A number times a unit keeps the unit: 0.2 × p is in the unit of p. */
  if (a->any && b->any)
    return cb_unit_new_any ();
  if (a->any)
    return sign > 0 ? cb_unit_copy (b) : cb_unit_power (b, -1, NULL);
  if (b->any)
    return cb_unit_copy (a);

  result = cb_unit_copy (a);
  for (guint i = 0; i < b->n; i++)
    if (!unit_add_factor (result, b->factors[i].symbol, sign * b->factors[i].halves))
      break;
  return result;
}

CbUnit *
cb_unit_multiply (const CbUnit *a,
                  const CbUnit *b)
{
  return combine (a, b, 1);
}

CbUnit *
cb_unit_divide (const CbUnit *a,
                const CbUnit *b)
{
  return combine (a, b, -1);
}

CbUnit *
cb_unit_power (const CbUnit  *unit,
               double         exponent,
               GError       **error)
{
  g_autoptr(CbUnit) result = cb_unit_copy (unit);

  if (unit->any)
    return g_steal_pointer (&result);

  for (guint i = 0; i < result->n; i++)
    {
      double halves = result->factors[i].halves * exponent;

      if (!isfinite (halves) || fabs (halves - round (halves)) > 1e-9 || fabs (halves) > 256)
        {
          g_autofree char *text = cb_unit_to_string (unit);

          g_set_error (error, CB_UNIT_ERROR, CB_UNIT_ERROR_MISMATCH,
                       _("%s to the power %g is not a unit"), text, exponent);
          return NULL;
        }
      result->factors[i].halves = (int) round (halves);
    }
  return g_steal_pointer (&result);
}

static void
append_power (GString *s,
              int      halves)
{
  static const char *const superscripts[] = {
    "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹",
  };
  char digits[16];

  if (halves == 2)
    return;
  if (halves % 2 != 0)
    {
      g_string_append_printf (s, "^%g", halves / 2.0);
      return;
    }
  if (halves < 0)
    g_string_append (s, "⁻");
  g_snprintf (digits, sizeof digits, "%d", ABS (halves / 2));
  for (const char *d = digits; *d != '\0'; d++)
    g_string_append (s, superscripts[*d - '0']);
}

char *
cb_unit_to_string (const CbUnit *unit)
{
  GString *s = g_string_new (NULL);
  guint n_negative = 0;

  if (unit->any)
    return g_strdup ("any");

  for (guint i = 0; i < unit->n; i++)
    {
      if (unit->factors[i].halves < 0)
        {
          n_negative++;
          continue;
        }
      if (s->len > 0)
        g_string_append (s, "·");
      g_string_append (s, unit->factors[i].symbol);
      append_power (s, unit->factors[i].halves);
    }
  if (s->len == 0)
    g_string_append (s, "1");
  if (n_negative > 0)
    {
      gboolean first = TRUE;

      g_string_append (s, "/");
      for (guint i = 0; i < unit->n; i++)
        {
          if (unit->factors[i].halves >= 0)
            continue;
          if (!first)
            g_string_append (s, "·");
          first = FALSE;
          g_string_append (s, unit->factors[i].symbol);
          append_power (s, -unit->factors[i].halves);
        }
    }
  return g_string_free (s, FALSE);
}
