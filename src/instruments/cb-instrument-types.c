/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-instrument-types.h"

G_DEFINE_QUARK (cb-instrument-error-quark, cb_instrument_error)

static const struct
{
  const char *name;
  const char *description;
  const char *unit;
} quantities[CB_N_QUANTITIES] = {
  [CB_QUANTITY_DC_VOLTAGE]  = { "dcv",         N_("DC voltage"),        "V" },
  [CB_QUANTITY_AC_VOLTAGE]  = { "acv",         N_("AC voltage"),        "V" },
  [CB_QUANTITY_DC_CURRENT]  = { "dci",         N_("DC current"),        "A" },
  [CB_QUANTITY_AC_CURRENT]  = { "aci",         N_("AC current"),        "A" },
  [CB_QUANTITY_RESISTANCE]  = { "res",         N_("resistance"),        "Ω" },
  [CB_QUANTITY_PRESSURE]    = { "pressure",    N_("pressure"),          "bar" },
  [CB_QUANTITY_TEMPERATURE] = { "temperature", N_("temperature"),       "°C" },
  [CB_QUANTITY_HUMIDITY]    = { "humidity",    N_("relative humidity"), "%RH" },
};

const char *
cb_quantity_to_name (CbQuantity quantity)
{
  g_return_val_if_fail (quantity < CB_N_QUANTITIES, NULL);
  return quantities[quantity].name;
}

gboolean
cb_quantity_from_name (const char *name,
                       CbQuantity *quantity)
{
  for (guint i = 0; i < CB_N_QUANTITIES; i++)
    if (name != NULL && g_ascii_strcasecmp (name, quantities[i].name) == 0)
      {
        *quantity = (CbQuantity) i;
        return TRUE;
      }
  return FALSE;
}

const char *
cb_quantity_describe (CbQuantity quantity)
{
  g_return_val_if_fail (quantity < CB_N_QUANTITIES, NULL);
  return _(quantities[quantity].description);
}

const char *
cb_quantity_unit (CbQuantity quantity)
{
  g_return_val_if_fail (quantity < CB_N_QUANTITIES, NULL);
  return quantities[quantity].unit;
}

CbReading *
cb_reading_new (CbQuantity  quantity,
                const char *text,
                double      value,
                const char *unit,
                const char *raw)
{
  CbReading *reading = g_new0 (CbReading, 1);

  reading->quantity = quantity;
  reading->text = g_strdup (text);
  reading->value = value;
  reading->unit = g_strdup (unit);
  reading->stable = TRUE;
  reading->raw = g_strdup (raw);
  reading->time = g_date_time_new_now_utc ();
  return reading;
}

void
cb_reading_free (CbReading *reading)
{
  if (reading == NULL)
    return;
  g_free (reading->text);
  g_free (reading->unit);
  g_free (reading->raw);
  g_clear_pointer (&reading->time, g_date_time_unref);
  g_free (reading);
}

char *
cb_reading_format_time (const CbReading *reading)
{
  return g_date_time_format (reading->time, "%Y-%m-%dT%H:%M:%S.%fZ");
}

char *
cb_instrument_quote_bytes (const guint8 *data,
                           gsize         length,
                           gsize         max_bytes)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < length && i < max_bytes; i++)
    {
      guint8 c = data[i];

      if (c == '\\')
        g_string_append (text, "\\\\");
      else if (c >= 0x20 && c < 0x7f)
        g_string_append_c (text, (char) c);
      else if (c == '\r')
        g_string_append (text, "\\r");
      else if (c == '\n')
        g_string_append (text, "\\n");
      else
        g_string_append_printf (text, "\\x%02X", c);
    }
  if (length > max_bytes)
    g_string_append (text, "…");
  return g_string_free (text, FALSE);
}

char *
cb_instrument_hex_bytes (const guint8 *data,
                         gsize         length)
{
  GString *text = g_string_sized_new (length * 3);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (text, i == 0 ? "%02X" : " %02X", data[i]);
  return g_string_free (text, FALSE);
}
