/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-format.h"

/* Plain notation is used from 10^-4 up to this power for exact values; past
 * it the zeros a reader has to count outweigh the digits. */
#define PLAIN_MAX_POWER 12
#define PLAIN_MIN_POWER (-4)

/* Helpers */

static gint64
first_place (const CbDecimal *decimal)
{
  return (gint64) decimal->exponent + (gint64) strlen (decimal->coefficient) - 1;
}

static const char *
superscript (char c)
{
  static const char * const digits[] = {
    "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹",
  };

  if (c >= '0' && c <= '9')
    return digits[c - '0'];
  if (c == '-')
    return "⁻";
  if (c == '+')
    return "⁺";
  return NULL;
}

/* The core writes "-2.6×10^-6"; readers get "−2.6×10⁻⁶". */
static char *
prettify (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 8);
  gboolean in_power = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '^')
        {
          in_power = TRUE;
          continue;
        }
      if (in_power && superscript (*p) != NULL)
        {
          g_string_append (out, superscript (*p));
          continue;
        }
      in_power = FALSE;
      if (*p == '-' && (p == text || p[-1] == '(' || p[-1] == ' '))
        g_string_append (out, "−");
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_zero (const CbDecimal *decimal)
{
  return g_str_equal (decimal->coefficient, "0");
}

/* Exact values may show padding zeros ("50000623", "1000"): they are the
 * value itself, not a claim about its precision. */
static char *
format_exact_decimal (const CbDecimal *decimal)
{
  gint64 power = first_place (decimal);
  g_autofree char *text = NULL;

  if (is_zero (decimal) || (power >= PLAIN_MIN_POWER && power <= PLAIN_MAX_POWER))
    text = cb_decimal_to_string (decimal);
  else
    text = cb_decimal_to_string_sci (decimal);

  return prettify (text);
}

/* Drops zeros after the last non-zero digit; they carry no information
 * in a computed value.  Rounding at the place of a zero digit is exact. */
static CbDecimal *
trim_zeros (CbDecimal *decimal)
{
  while (strlen (decimal->coefficient) > 1
         && g_str_has_suffix (decimal->coefficient, "0")
         && decimal->exponent < 0)
    {
      CbDecimal *shorter = cb_round_to_place (decimal, decimal->exponent + 1);

      if (shorter == NULL)
        break;
      cb_decimal_free (decimal);
      decimal = shorter;
    }
  return decimal;
}

/* Public API */

char *
cb_format_decimal (const CbDecimal *decimal)
{
  g_autofree char *text = NULL;
  gint64 power;

  g_return_val_if_fail (decimal != NULL, NULL);

  power = first_place (decimal);
  /* Zeros left of the last kept digit would read as significant. */
  if (is_zero (decimal))
    text = cb_decimal_to_string (decimal);
  else if (decimal->exponent > 0 || power < PLAIN_MIN_POWER)
    text = cb_decimal_to_string_sci (decimal);
  else
    text = cb_decimal_to_string (decimal);

  return prettify (text);
}

char *
cb_format_exact (double value)
{
  g_autoptr(CbDecimal) decimal = NULL;

  if (isnan (value))
    return g_strdup ("—");
  if (isinf (value))
    return g_strdup (value > 0 ? "∞" : "−∞");

  decimal = cb_decimal_from_double (value);
  if (decimal == NULL)
    return g_strdup ("—");
  return format_exact_decimal (decimal);
}

char *
cb_format_value (double value)
{
  g_autoptr(CbDecimal) decimal = NULL;

  if (!isfinite (value))
    return cb_format_exact (value);

  decimal = cb_decimal_from_double (value);
  if (decimal == NULL)
    return g_strdup ("—");
  if (strlen (decimal->coefficient) > 9)
    {
      CbDecimal *rounded = cb_round_to_significant (decimal, 9, NULL);

      if (rounded != NULL)
        {
          cb_decimal_free (decimal);
          decimal = trim_zeros (rounded);
        }
    }
  return format_exact_decimal (decimal);
}

char *
cb_format_significant (double value,
                       guint  digits)
{
  g_autoptr(CbDecimal) decimal = NULL;
  g_autoptr(CbDecimal) rounded = NULL;

  if (!isfinite (value))
    return cb_format_exact (value);

  decimal = cb_decimal_from_double (value);
  if (decimal == NULL)
    return g_strdup ("—");
  rounded = cb_round_to_significant (decimal, digits, NULL);
  if (rounded == NULL)
    return format_exact_decimal (decimal);
  return cb_format_decimal (rounded);
}

char *
cb_format_at_place (double value,
                    int    place)
{
  g_autoptr(CbDecimal) decimal = NULL;
  g_autoptr(CbDecimal) rounded = NULL;

  if (!isfinite (value))
    return cb_format_exact (value);

  decimal = cb_decimal_from_double (value);
  if (decimal == NULL)
    return g_strdup ("—");
  rounded = cb_round_to_place (decimal, place);
  if (rounded == NULL)
    return format_exact_decimal (decimal);
  /* The place is known from the context (an uncertainty beside it), so
   * padding zeros mislead no one. */
  return format_exact_decimal (rounded);
}

gboolean
cb_format_place_of (double  value,
                    guint   digits,
                    int    *place)
{
  g_autoptr(CbDecimal) decimal = NULL;
  g_autoptr(CbDecimal) rounded = NULL;

  if (!isfinite (value) || value == 0)
    return FALSE;

  decimal = cb_decimal_from_double (value);
  if (decimal == NULL)
    return FALSE;
  rounded = cb_round_to_significant (decimal, digits, NULL);
  if (rounded == NULL)
    return FALSE;

  *place = cb_decimal_get_last_place (rounded);
  return TRUE;
}

char *
cb_format_dof (double dof)
{
  if (isinf (dof))
    return g_strdup ("∞");
  if (!isfinite (dof))
    return g_strdup ("—");

  /* Degrees of freedom are mostly whole; a derived one (from a
   * reliability) keeps one decimal. */
  return cb_format_at_place (dof, dof == floor (dof) ? 0 : -1);
}

char *
cb_format_probability (double p)
{
  g_autoptr(CbDecimal) decimal = NULL;
  CbDecimal *rounded;
  g_autofree char *number = NULL;

  if (!isfinite (p))
    return g_strdup ("—");

  decimal = cb_decimal_from_double (p * 100);
  rounded = decimal != NULL ? cb_round_to_place (decimal, -2) : NULL;
  if (rounded == NULL)
    return g_strdup ("—");
  rounded = trim_zeros (rounded);
  number = cb_format_decimal (rounded);
  cb_decimal_free (rounded);
  /* TRANSLATORS: a percentage; %s is the number; the space is a no-break
   * space, so that the sign never wraps away from the number */
  return g_strdup_printf (_("%s %%"), number);
}

char *
cb_format_percent (double fraction)
{
  g_autofree char *number = NULL;

  if (!isfinite (fraction))
    return g_strdup ("—");

  number = cb_format_at_place (fraction * 100, -1);
  /* TRANSLATORS: a percentage; %s is the number; the space is a no-break
   * space, so that the sign never wraps away from the number */
  return g_strdup_printf (_("%s %%"), number);
}

gboolean
cb_format_report (double    value,
                  double    expanded,
                  char    **value_out,
                  char    **expanded_out,
                  int      *place,
                  GError  **error)
{
  g_autoptr(CbDecimal) y = cb_decimal_from_double (value);
  g_autoptr(CbDecimal) U = cb_decimal_from_double (expanded);
  g_autoptr(CbDecimal) y_reported = NULL;
  g_autoptr(CbDecimal) U_reported = NULL;

  if (y == NULL || U == NULL)
    {
      g_set_error_literal (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID,
                           _("the result is not a finite number"));
      return FALSE;
    }
  if (!cb_report_result (y, U, 0, FALSE, &y_reported, &U_reported, error))
    return FALSE;

  /* Side by side, y and U show each other's last place: "50000840 ± 90"
   * reads plainly where "5.000084×10⁷ ± 9×10¹" would not. */
  if (value_out != NULL)
    *value_out = format_exact_decimal (y_reported);
  if (expanded_out != NULL)
    *expanded_out = format_exact_decimal (U_reported);
  if (place != NULL)
    *place = cb_decimal_get_last_place (U_reported);
  return TRUE;
}

char *
cb_format_for_entry (double value)
{
  g_autoptr(CbDecimal) decimal = cb_decimal_from_double (value);
  const char *c;
  gint64 power;
  GString *out;

  if (decimal == NULL)
    return NULL;

  power = first_place (decimal);
  if (is_zero (decimal) || (power >= -6 && power <= 15))
    return cb_decimal_to_string (decimal);

  c = decimal->coefficient;
  out = g_string_new (decimal->negative ? "-" : "");
  g_string_append_c (out, c[0]);
  if (c[1] != '\0')
    {
      g_string_append_c (out, '.');
      g_string_append (out, c + 1);
    }
  g_string_append_printf (out, "e%" G_GINT64_FORMAT, power);
  return g_string_free (out, FALSE);
}
