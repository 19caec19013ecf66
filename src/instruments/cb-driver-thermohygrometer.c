/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-instrument-private.h"
#include "cb-modbus.h"

/*
 * Temperature and humidity transmitters on Modbus RTU, function 03.  The
 * register map is data: each register's quantity, scale and sign.  The
 * probe reads the device-address register and expects its own address back.
 */

typedef struct
{
  CbQuantity quantity;
  guint16    address;
  guint      decimals;    /* the register holds value × 10^decimals */
  gboolean   is_signed;
} Register;

/* Renke RS-WS-N01 and the many transmitters sharing its map. */
static const Register registers[] = {
  { CB_QUANTITY_HUMIDITY, 0x0000, 1, FALSE },
  { CB_QUANTITY_TEMPERATURE, 0x0001, 1, TRUE },
};
#define ADDRESS_REGISTER 0x07D0

static const CbModelQuirks thermohygrometer_models[] = {
  { "RS-WS-N01", "RS-WS-N01", NULL, 0, FALSE, 1 },
  { NULL },
};

static gboolean
thermohygrometer_probe (CbInstrument  *instrument,
                        GCancellable  *cancellable,
                        GError       **error)
{
  const CbModelQuirks *model = &thermohygrometer_models[0];
  guint16 address = 0;

  if (!cb_modbus_read_holding (instrument->transport, model->modbus_address, ADDRESS_REGISTER, 1,
                               &address, NULL, cancellable, error))
    return FALSE;
  if (address != model->modbus_address)
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_NOT_FOUND,
                   _("register 0x%04X holds %u, expected the device address %u"),
                   ADDRESS_REGISTER, address, model->modbus_address);
      return FALSE;
    }
  instrument->quirks = model;
  instrument->settings.quantity = CB_QUANTITY_TEMPERATURE;
  g_free (instrument->identity);
  instrument->identity = g_strdup_printf (_("Modbus RTU thermohygrometer at address %u (%s register map)"),
                                          address, model->model);
  return TRUE;
}

static gboolean
thermohygrometer_configure (CbInstrument             *instrument,
                            const CbMeasureSettings  *settings,
                            GCancellable             *cancellable,
                            GError                  **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (registers); i++)
    if (registers[i].quantity == settings->quantity)
      return TRUE;
  cb_instrument_set_unsupported (instrument, error, cb_quantity_describe (settings->quantity));
  return FALSE;
}

/* The register's digits as text, exactly: 234 at one decimal is "23.4". */
static char *
format_register (const Register *reg,
                 guint16         raw,
                 double         *value)
{
  gint32 v = reg->is_signed ? (gint16) raw : (gint32) raw;
  guint32 magnitude = (guint32) ABS (v);
  guint32 scale = 1;
  g_autofree char *digits = NULL;

  for (guint i = 0; i < reg->decimals; i++)
    scale *= 10;
  *value = (double) v / scale;
  if (reg->decimals == 0)
    return g_strdup_printf ("%d", v);
  digits = g_strdup_printf ("%0*u", reg->decimals, magnitude % scale);
  return g_strdup_printf ("%s%u.%s", v < 0 ? "-" : "", magnitude / scale, digits);
}

static gboolean
thermohygrometer_measure (CbInstrument  *instrument,
                          GPtrArray     *readings,
                          GCancellable  *cancellable,
                          GError       **error)
{
  guint16 values[G_N_ELEMENTS (registers)];
  g_autofree char *raw = NULL;

  /* The map's registers are consecutive: one request reads them all. */
  if (!cb_modbus_read_holding (instrument->transport, instrument->quirks->modbus_address,
                               registers[0].address, G_N_ELEMENTS (registers), values, &raw,
                               cancellable, error))
    return FALSE;

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < G_N_ELEMENTS (registers); i++)
      {
        const Register *reg = &registers[i];
        gboolean primary = reg->quantity == instrument->settings.quantity;
        g_autofree char *text = NULL;
        double value;

        if (primary != (pass == 0))
          continue;
        text = format_register (reg, values[i], &value);
        g_ptr_array_add (readings, cb_reading_new (reg->quantity, text, value,
                                                   cb_quantity_unit (reg->quantity), raw));
      }
  return TRUE;
}

const CbDriver cb_driver_thermohygrometer = {
  .name = "thermohygrometer",
  .summary = N_("Temperature and humidity transmitter on Modbus RTU"),
  .models = thermohygrometer_models,
  .serial = { 4800, 8, CB_PARITY_NONE, 1, CB_FLOW_NONE },
  .terminator = "\n",
  .probe = thermohygrometer_probe,
  .configure = thermohygrometer_configure,
  .measure = thermohygrometer_measure,
};
