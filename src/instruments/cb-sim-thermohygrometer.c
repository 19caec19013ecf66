/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include "cb-modbus.h"
#include "cb-sim-private.h"

/*
 * An RS-485 temperature and humidity transmitter (the common Renke
 * RS-WS-N01 register map) at Modbus address 1: holding register 0x0000 is
 * relative humidity ×10, 0x0001 temperature ×10 (signed), 0x07D0 the
 * device's address and 0x07D1 its baud rate code.  A room at 23 °C (or
 * as set) and 45 %RH, with a slow swing, drift and noise.
 */

#define ADDRESS 1

static gpointer
thermohygrometer_state_new (CbSim *sim)
{
  return NULL;
}

static void
thermohygrometer_state_free (gpointer state)
{
}

static gint16
tenths (double value)
{
  return (gint16) lround (value * 10);
}

static gboolean
read_register (CbSim   *sim,
               guint16  address,
               guint16 *value)
{
  double t = cb_sim_now (sim);

  switch (address)
    {
    case 0x0000:
      *value = (guint16) tenths (CLAMP (45.0 + 2.0 * sin (2 * G_PI * t / 3600.0) +
                                        cb_sim_gauss (sim, 0.2), 0, 100));
      return TRUE;
    case 0x0001:
      *value = (guint16) tenths (CLAMP (sim->room + 0.3 * sin (2 * G_PI * t / 1800.0) + 1e-5 * t +
                                        cb_sim_gauss (sim, 0.05), -40, 80));
      return TRUE;
    case 0x07D0:
      *value = ADDRESS;
      return TRUE;
    case 0x07D1:
      *value = 1;   /* 4800 baud */
      return TRUE;
    default:
      return FALSE;
    }
}

static void
append_exception (GByteArray *reply,
                  guint8      function,
                  guint8      code)
{
  guint8 frame[5] = { ADDRESS, (guint8) (function | 0x80), code, 0, 0 };

  cb_modbus_append_crc (frame, 3);
  g_byte_array_append (reply, frame, sizeof frame);
}

static void
thermohygrometer_frame (CbSim        *sim,
                        const guint8 *request,
                        gsize         length,
                        GByteArray   *reply)
{
  guint8 frame[5 + 2 * CB_MODBUS_MAX_REGISTERS];
  guint16 first = (guint16) ((request[2] << 8) | request[3]);
  guint16 count = (guint16) ((request[4] << 8) | request[5]);

  /* Another slave's request, or a broadcast: no reply. */
  if (request[0] != ADDRESS)
    return;
  if (request[1] != CB_MODBUS_READ_HOLDING)
    {
      append_exception (reply, request[1], CB_MODBUS_EXCEPTION_ILLEGAL_FUNCTION);
      return;
    }
  if (count == 0 || count > CB_MODBUS_MAX_REGISTERS)
    {
      append_exception (reply, request[1], CB_MODBUS_EXCEPTION_ILLEGAL_VALUE);
      return;
    }

  frame[0] = ADDRESS;
  frame[1] = CB_MODBUS_READ_HOLDING;
  frame[2] = (guint8) (2 * count);
  for (guint i = 0; i < count; i++)
    {
      guint16 value;

      if (!read_register (sim, (guint16) (first + i), &value))
        {
          append_exception (reply, request[1], CB_MODBUS_EXCEPTION_ILLEGAL_ADDRESS);
          return;
        }
      frame[3 + 2 * i] = (guint8) (value >> 8);
      frame[4 + 2 * i] = (guint8) (value & 0xff);
    }
  cb_modbus_append_crc (frame, 3 + 2 * (gsize) count);
  g_byte_array_append (reply, frame, 5 + 2 * (guint) count);
}

const CbSimModel cb_sim_thermohygrometer_model = {
  .name = "thermohygrometer",
  .binary = TRUE,
  .reply_terminator = "",
  .state_new = thermohygrometer_state_new,
  .state_free = thermohygrometer_state_free,
  .frame = thermohygrometer_frame,
};
